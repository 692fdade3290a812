/*
 * yaml_fuzz.c: libFuzzer target for the app loader: the input is written
 * as an app's _index.yaml (with a main.lua beside it for file:// sources)
 * and loaded.  It must load, or fail with errors that name the file, and
 * leave nothing allocated either way.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 dir[] = "/tmp/osactor-yaml-fuzz.XXXXXX";
static char	 path[sizeof(dir) + 32];

static void
write_file(const char *name, const void *p, size_t n)
{
	int	 fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || write(fd, p, n) != (ssize_t)n || close(fd) == -1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char main_lua[] = "return { main = function() end }\n";
	struct app	 app;
	char		*errs = NULL;

	if (dir[sizeof(dir) - 2] == 'X') {
		if (mkdtemp(dir) == NULL)
			abort();
		write_file("main.lua", main_lua, sizeof(main_lua) - 1);
	}
	write_file("_index.yaml", data, size);
	if (config_load(dir, &app, &errs) == 0) {
		if (errs != NULL)
			__builtin_trap();
		config_free(&app);
		return 0;
	}
	if (errs == NULL || strstr(errs, "_index.yaml") == NULL)
		__builtin_trap();
	free(errs);
	return 0;
}
