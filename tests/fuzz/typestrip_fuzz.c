/*
 * typestrip_fuzz.c: libFuzzer target for the type-annotation stripper,
 * which reads every app's sources.  Any text must strip or give a located
 * error; what it strips keeps its length and every line break in place,
 * and blanks only (never adds or moves) what Lua would see.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "typestrip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*src = (const char *)data;
	char		*out = NULL, err[256];
	size_t		 outlen = 0, i;

	if (typestrip(src, size, &out, &outlen, err, sizeof(err)) == -1) {
		if (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0')
			__builtin_trap();
		free(out);
		return 0;
	}
	if (out == NULL)
		return 0;
	if (outlen != size)
		__builtin_trap();
	for (i = 0; i < size; i++) {
		/* Line breaks stay; anything else is kept or blanked. */
		if ((src[i] == '\n') != (out[i] == '\n'))
			__builtin_trap();
		if (out[i] != src[i] && out[i] != ' ')
			__builtin_trap();
	}
	free(out);
	return 0;
}
