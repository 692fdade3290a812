/*
 * config_test.c: config_load on the tutorial app (every field checked),
 * on tests/unit/config/full (every optional field), and on one broken app
 * per error class, each checked for its exact "file:line:column:" and its
 * message.  Apps that would be awkward to keep in git (10 MB, binary,
 * symlinks, 10k-deep nesting) are written to a temporary folder.  Run
 * from the repository root.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "unit.h"

#define SEED	"tests/seed/echo-service/src"
#define FIX	"tests/unit/config/"
#define SEC	1000000000LL

static char	 tmp[] = "/tmp/osactor-config-test.XXXXXX";

/* ---- helpers ---- */

static int
count_lines(const char *s)
{
	int	 n = 1;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* The error line starting with `prefix`, or NULL. */
static const char *
find_line(const char *errs, const char *prefix)
{
	const char	*p = errs;

	for (;;) {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			return p;
		if ((p = strchr(p, '\n')) == NULL)
			return NULL;
		p++;
	}
}

/*
 * Loading `dir` fails with `nlines` error lines (0: any number), one of
 * which starts with `prefix` and goes on to contain `part`.
 */
static int
fails(const char *dir, int nlines, const char *prefix, const char *part)
{
	struct app	 app;
	char		*errs = NULL;
	const char	*line, *eol;
	int		 ok = 1;

	memset(&app, 0xa5, sizeof(app));
	if (config_load(dir, &app, &errs) != -1) {
		fprintf(stderr, "%s: loaded without errors\n", dir);
		config_free(&app);
		return 0;
	}
	if (errs == NULL || app.nentries != 0 || app.entries != NULL ||
	    app.dir != NULL) {
		fprintf(stderr, "%s: bad state after failing\n", dir);
		return 0;
	}
	line = find_line(errs, prefix);
	eol = line ? strchrnul(line, '\n') : NULL;
	if (line == NULL || strstr(line, part) == NULL ||
	    strstr(line, part) >= eol) {
		fprintf(stderr, "%s: want a line \"%s...%s\", got:\n%s\n", dir,
		    prefix, part, errs);
		ok = 0;
	} else if (nlines > 0 && count_lines(errs) != nlines) {
		fprintf(stderr, "%s: want %d error lines, got:\n%s\n", dir,
		    nlines, errs);
		ok = 0;
	}
	config_free(&app);	/* harmless on the emptied app */
	free(errs);
	return ok;
}

static int
loads(const char *dir, struct app *app)
{
	char	*errs;

	if (config_load(dir, app, &errs) == 0 && errs == NULL)
		return 1;
	fprintf(stderr, "%s: unexpected errors:\n%s\n", dir, errs);
	free(errs);
	return 0;
}

static void
put(const char *rel, const void *data, size_t len)
{
	char	 path[512], *slash;
	int	 fd;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	for (slash = path + strlen(tmp) + 1; (slash = strchr(slash, '/'));
	    slash++) {
		*slash = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			perror(path);
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1 || write(fd, data, len) != (ssize_t)len) {
		perror(path);
		exit(1);
	}
	close(fd);
}

static void
puts_app(const char *app, const char *yaml)
{
	char	 rel[256];

	snprintf(rel, sizeof(rel), "%s/_index.yaml", app);
	put(rel, yaml, strlen(yaml));
}

/* `dir` is under the temporary folder: tmp/dir */
static const char *
at(const char *dir)
{
	static char	 buf[2][512];
	static int	 i;

	i = !i;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmp, dir);
	return buf[i];
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

/* ---- the tutorial ---- */

static void
check_seed_hosts(const struct app *app)
{
	const struct entry	*e;

	e = app->entries[0];
	CHECK(strcmp(e->id, "app:terminal") == 0);
	CHECK(strcmp(e->name, "terminal") == 0);
	CHECK(e->kind == ENTRY_TERMINAL_HOST);
	CHECK(strcmp(e->file, SEED "/_index.yaml") == 0);
	CHECK(e->line == 5 && e->column == 5);
	CHECK(e->lc.auto_start == 1);
	CHECK(e->hide_logs == 0);
	CHECK(e->sandbox == 1);
	CHECK(e->lc.nrequires == 0 && e->lc.requires == NULL);
	CHECK(e->lc.stop_timeout == 10 * SEC);
	CHECK(e->lc.stable_threshold == 5 * SEC);
	CHECK(e->lc.restart.initial_delay == 1 * SEC);
	CHECK(e->lc.restart.max_delay == 90 * SEC);
	CHECK(e->lc.restart.backoff_factor == 2.0);
	CHECK(e->lc.restart.jitter == 0.1);
	CHECK(e->lc.restart.max_attempts == 0);
	CHECK(e->source_path == NULL && e->source_code == NULL);
	CHECK(e->method == NULL && e->nmodules == 0 && e->nimports == 0);
	CHECK(e->process == NULL && e->host == NULL && e->ninput == 0);

	e = app->entries[1];
	CHECK(strcmp(e->id, "app:processes") == 0);
	CHECK(e->kind == ENTRY_PROCESS_HOST);
	CHECK(e->line == 10 && e->column == 5);
	CHECK(e->lc.auto_start == 1);
	CHECK(e->limits.memory == -1 && e->limits.cpu_time == -1);
	CHECK(e->limits.open_files == -1 && e->limits.processes == -1);
	CHECK(e->limits.core == -1);
}

static int
modules_are(const struct entry *e, const char *const *want, size_t n)
{
	size_t	 i;

	if (e->nmodules != n)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(e->modules[i], want[i]) != 0)
			return 0;
	return 1;
}

/* The absolute path of a seed file, as realpath gives it. */
static int
is_seed_file(const char *path, const char *name)
{
	char	*want, rel[256];
	int	 same;

	snprintf(rel, sizeof(rel), "%s/%s", SEED, name);
	if ((want = realpath(rel, NULL)) == NULL)
		return 0;
	same = path != NULL && strcmp(path, want) == 0 && path[0] == '/';
	free(want);
	return same;
}

static void
check_seed_lua(const struct app *app)
{
	static const char *const cli[] = { "io", "process", "time",
	    "channel" };
	static const char *const relay[] = { "process", "logger", "channel",
	    "time" };
	static const char *const worker[] = { "process", "time" };
	const struct entry	*e;

	e = app->entries[2];
	CHECK(strcmp(e->id, "app:cli") == 0);
	CHECK(e->kind == ENTRY_PROCESS_LUA);
	CHECK(e->line == 15 && e->column == 5);
	CHECK(is_seed_file(e->source_path, "cli.lua"));
	CHECK(e->source_code == NULL);
	CHECK(strcmp(e->method, "main") == 0);
	CHECK(modules_are(e, cli, 4));
	CHECK(e->nimports == 0);

	e = app->entries[3];
	CHECK(strcmp(e->id, "app:relay") == 0);
	CHECK(e->line == 25 && e->column == 5);
	CHECK(is_seed_file(e->source_path, "relay.lua"));
	CHECK(modules_are(e, relay, 4));

	e = app->entries[5];
	CHECK(strcmp(e->id, "app:worker") == 0);
	CHECK(e->kind == ENTRY_PROCESS_LUA);
	CHECK(e->line == 42 && e->column == 5);
	CHECK(is_seed_file(e->source_path, "worker.lua"));
	CHECK(strcmp(e->method, "main") == 0);
	CHECK(modules_are(e, worker, 2));
}

static void
test_seed(void)
{
	struct app		 app;
	const struct entry	*e;
	char			*dir;

	if (!loads(SEED, &app)) {
		CHECK(0);
		return;
	}
	dir = realpath(SEED, NULL);
	CHECK(dir != NULL && app.dir != NULL && strcmp(app.dir, dir) == 0);
	free(dir);
	CHECK(app.nentries == 6);
	if (app.nentries == 6) {
		check_seed_hosts(&app);
		check_seed_lua(&app);
		e = app.entries[4];
		CHECK(strcmp(e->id, "app:relay-service") == 0);
		CHECK(e->kind == ENTRY_PROCESS_SERVICE);
		CHECK(e->line == 35 && e->column == 5);
		CHECK(strcmp(e->process, "app:relay") == 0);
		CHECK(strcmp(e->host, "app:processes") == 0);
		CHECK(e->lc.auto_start == 1);
		CHECK(e->ninput == 0 && e->input == NULL);
		CHECK(e->method == NULL && e->source_path == NULL);
		CHECK(config_find(&app, "app:relay-service") == e);
	}
	CHECK(config_find(&app, "app:worker") == app.entries[5]);
	CHECK(config_find(&app, "worker") == NULL);
	CHECK(config_find(&app, "app:nope") == NULL);
	config_free(&app);
	CHECK(app.nentries == 0 && app.entries == NULL && app.dir == NULL);
}

/* ---- every optional field ---- */

static void
check_full_hosts(const struct app *app)
{
	const struct entry	*e;

	e = config_find(app, "app:term");
	CHECK(e != NULL && e->hide_logs == 1 && e->lc.auto_start == 1);
	CHECK(e != NULL && e->sandbox == 1);
	e = config_find(app, "app:pool");
	if (e == NULL) {
		CHECK(0);
		return;
	}
	CHECK(e->sandbox == 0);
	CHECK(e->limits.memory == 64 << 20);
	CHECK(e->limits.cpu_time == 2);
	CHECK(e->limits.open_files == 256);
	CHECK(e->limits.processes == 16);
	CHECK(e->limits.core == 0);
	CHECK(e->lc.stop_timeout == 2500000000LL);
	CHECK(e->lc.stable_threshold == 5 * SEC);
	CHECK(e->lc.restart.initial_delay == 250000000LL);
	CHECK(e->lc.restart.max_delay == 60 * SEC);
	CHECK(e->lc.restart.backoff_factor == 1.5);
	CHECK(e->lc.restart.jitter == 0.0);
	CHECK(e->lc.restart.max_attempts == 7);
}

static void
check_full_lua(const struct app *app)
{
	const struct entry	*e;

	e = config_find(app, "app:main");
	if (e == NULL) {
		CHECK(0);
		return;
	}
	CHECK(e->source_path != NULL &&
	    strstr(e->source_path, "/" FIX "full/lua/main.lua") != NULL);
	CHECK(strcmp(e->method, "run") == 0);
	CHECK(e->nmodules == 2 && strcmp(e->modules[0], "time") == 0 &&
	    strcmp(e->modules[1], "logger") == 0);
	CHECK(e->nimports == 2);
	if (e->nimports == 2) {
		CHECK(strcmp(e->import_alias[0], "util") == 0);
		CHECK(strcmp(e->import_id[0], "lib:util") == 0);
		CHECK(strcmp(e->import_alias[1], "fmt") == 0);
		CHECK(strcmp(e->import_id[1], "lib:fmt") == 0);
	}
	e = config_find(app, "lib:util");
	CHECK(e != NULL && e->kind == ENTRY_LIBRARY_LUA && e->method == NULL &&
	    strstr(e->source_path, "/" FIX "full/lib/util.lua") != NULL &&
	    e->nmodules == 1 && strcmp(e->modules[0], "json") == 0);
	e = config_find(app, "lib:fmt");
	CHECK(e != NULL && e->source_path == NULL && e->source_code != NULL &&
	    strcmp(e->source_code, "local M = {}\nfunction M.f(x) return "
	    "tostring(x) end\nreturn M\n") == 0);
}

static void
check_full_service(const struct app *app)
{
	const struct entry	*e;

	e = config_find(app, "app:svc");
	if (e == NULL) {
		CHECK(0);
		return;
	}
	CHECK(strcmp(e->process, "app:main") == 0);
	CHECK(strcmp(e->host, "app:pool") == 0);
	CHECK(e->ninput == 4);
	if (e->ninput == 4) {
		CHECK(strcmp(e->input[0], "hello") == 0);
		CHECK(strcmp(e->input[1], "42") == 0);
		CHECK(strcmp(e->input[2], "two words") == 0);
		CHECK(strcmp(e->input[3], "true") == 0);
	}
	CHECK(e->lc.auto_start == 1);
	CHECK(e->lc.nrequires == 2 &&
	    strcmp(e->lc.requires[0], "app:pool") == 0 &&
	    strcmp(e->lc.requires[1], "app:term") == 0);
	CHECK(e->lc.stable_threshold == 30 * SEC);
	CHECK(e->lc.stop_timeout == 10 * SEC);
}

static void
test_full(void)
{
	static const char *const order[] = { "app:term", "app:pool",
	    "app:main", "app:svc", "zed:x", "lib:util", "lib:fmt" };
	struct app	 app;
	size_t		 i;

	if (!loads(FIX "full", &app)) {
		CHECK(0);
		return;
	}
	/* _index.yaml first, then path order; dot files and .yml skipped. */
	CHECK(app.nentries == 7);
	for (i = 0; i < 7 && i < app.nentries; i++)
		CHECK(strcmp(app.entries[i]->id, order[i]) == 0);
	CHECK(app.nentries < 7 ||
	    strcmp(app.entries[4]->file, FIX "full/Zed.yaml") == 0);
	CHECK(app.nentries < 7 ||
	    strcmp(app.entries[6]->file, FIX "full/lib/lib.yaml") == 0);
	check_full_hosts(&app);
	check_full_lua(&app);
	check_full_service(&app);
	config_free(&app);
}

/* ---- one fixture per error class ---- */

static void
test_fixtures(void)
{
	CHECK(fails(FIX "yaml-syntax", 1, FIX "yaml-syntax/_index.yaml:7:6: ",
	    "did not find expected key (while parsing a block mapping at "
	    "line 3 column 5)"));
	CHECK(fails(FIX "unknown-kind", 1,
	    FIX "unknown-kind/_index.yaml:7:11: ",
	    "unknown kind \"process.lau\" in entry \"app:cli\""));
	CHECK(fails(FIX "unknown-field", 1,
	    FIX "unknown-field/_index.yaml:7:5: ",
	    "unknown field \"x\" in process.lua entry \"app:cli\""));
	CHECK(fails(FIX "wrong-type-bool", 1,
	    FIX "wrong-type-bool/_index.yaml:6:19: ",
	    "\"auto_start\" must be true or false, not \"maybe\" (entry "
	    "\"app:term\")"));
	CHECK(fails(FIX "wrong-type-list", 1,
	    FIX "wrong-type-list/_index.yaml:6:13: ",
	    "\"method\" must be a string, not a list"));
	CHECK(fails(FIX "missing-name", 1,
	    FIX "missing-name/_index.yaml:5:5: ", "entry has no \"name\""));
	CHECK(fails(FIX "duplicate-id", 1,
	    FIX "duplicate-id/more/more.yaml:5:13: ",
	    "duplicate entry \"app:pool\" (first defined at "
	    FIX "duplicate-id/_index.yaml:3:11)"));
	CHECK(fails(FIX "dangling-process", 1,
	    FIX "dangling-process/_index.yaml:10:14: ",
	    "process \"app:relayy\" not found (entry \"app:svc\")"));
	CHECK(fails(FIX "dangling-host", 1,
	    FIX "dangling-host/_index.yaml:11:14: ",
	    "host \"app:nowhere\" not found (entry \"app:svc\")"));
	CHECK(fails(FIX "missing-source", 1,
	    FIX "missing-source/_index.yaml:5:13: ",
	    "source file \"cli.lua\" not found (entry \"app:cli\")"));
	CHECK(fails(FIX "escape/app", 1, FIX "escape/app/_index.yaml:5:13: ",
	    "source file \"../outside.lua\" is outside the app folder"));
	/*
	 * file:line:column, the path shown as the yaml files' are; the
	 * column is where the token Lua names first appears on the line.
	 */
	CHECK(fails(FIX "lua-syntax", 1, FIX "lua-syntax/bad.lua:3:6: ",
	    "unexpected symbol near '='"));
	CHECK(fails(FIX "lua-inline", 1, FIX "lua-inline/_index.yaml:11:7: ",
	    "unexpected symbol near 'end' (inline source of entry "
	    "\"app:bad\")"));
	CHECK(fails(FIX "cycle", 1, FIX "cycle/_index.yaml:15:11: ",
	    "dependency cycle: app:a -> app:b -> app:a"));
	CHECK(fails(FIX "bad-duration", 1,
	    FIX "bad-duration/_index.yaml:6:21: ",
	    "bad duration \"5x\" for \"stop_timeout\": unknown unit"));
}

/* The same folder given another way shows paths that way. */
static void
test_paths(void)
{
	char	 cwd[4096], *sub;

	CHECK(fails(FIX "nonexistent", 1, FIX "nonexistent: ",
	    "cannot open the app folder"));
	CHECK(fails(FIX "cycle/", 1, FIX "cycle/_index.yaml:15:11: ",
	    "dependency cycle"));
	CHECK(fails("./" FIX "cycle", 1, "./" FIX "cycle/_index.yaml:15:11: ",
	    "dependency cycle"));
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	if (chdir(FIX "lua-syntax") == 0) {
		CHECK(fails(".", 1, "bad.lua:3:6: ", "near '='"));
		CHECK(chdir(cwd) == 0);
	} else
		CHECK(0);
	sub = realpath(FIX "missing-source", NULL);
	CHECK(sub != NULL);
	if (sub != NULL) {
		strcat(cwd, "/" FIX "missing-source/_index.yaml:5:13: ");
		CHECK(fails(sub, 1, cwd, "not found"));
		free(sub);
	}
}

/* ---- hostile input ---- */

static void
test_deep(void)
{
	static const char	 head[] = "namespace: app\nentries: ";
	char			 prefix[600], *buf;
	size_t			 n = 10000;

	buf = malloc(sizeof(head) + n);
	memcpy(buf, head, sizeof(head) - 1);
	memset(buf + sizeof(head) - 1, '[', n);
	put("deep/_index.yaml", buf, sizeof(head) - 1 + n);
	/* The root mapping is level 1, so the 64th '[' is level 65. */
	snprintf(prefix, sizeof(prefix), "%s/_index.yaml:2:73: ", at("deep"));
	CHECK(fails(at("deep"), 1, prefix, "nested too deep"));
	memset(buf + sizeof(head) - 1, '{', n);
	put("deep/_index.yaml", buf, sizeof(head) - 1 + n);
	CHECK(fails(at("deep"), 1, prefix, "nested too deep"));
	free(buf);
}

static void
test_binary(void)
{
	static const char	 bin[] =
	    "namespace: app\nentries: [\xff\xfe\x01]";
	static const char	 nul[] = "namespace: app\n\0\0\0";
	char			 prefix[600], junk[4096];
	size_t			 i;

	put("bin/_index.yaml", bin, sizeof(bin) - 1);
	snprintf(prefix, sizeof(prefix), "%s/_index.yaml:2:11: ", at("bin"));
	CHECK(fails(at("bin"), 1, prefix, "invalid leading UTF-8 octet "
	    "(byte 0xff)"));
	put("bin/_index.yaml", nul, sizeof(nul) - 1);
	snprintf(prefix, sizeof(prefix), "%s/_index.yaml:2:1: ", at("bin"));
	CHECK(fails(at("bin"), 1, prefix, "control characters are not "
	    "allowed"));
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (char)((i * 7919 + 13) ^ (i >> 3));
	put("bin/_index.yaml", junk, sizeof(junk));
	snprintf(prefix, sizeof(prefix), "%s/_index.yaml:1:", at("bin"));
	CHECK(fails(at("bin"), 1, prefix, ""));
}

static void
test_big(void)
{
	char	 prefix[600], *buf;
	size_t	 n = 10U << 20;

	buf = malloc(n);
	memset(buf, '#', n);
	put("big/_index.yaml", buf, n);
	snprintf(prefix, sizeof(prefix), "%s/_index.yaml:1:1: ", at("big"));
	CHECK(fails(at("big"), 1, prefix, "file too large"));
	/* A source file over the cap fails at its source: line. */
	puts_app("big", "namespace: app\nentries:\n- name: x\n  kind: "
	    "process.lua\n  source: file://x.lua\n");
	put("big/x.lua", buf, (4U << 20) + 1);
	snprintf(prefix, sizeof(prefix), "%s/_index.yaml:5:11: ", at("big"));
	CHECK(fails(at("big"), 1, prefix, "source file \"x.lua\": file too "
	    "large"));
	free(buf);
}

static void
test_no_yaml(void)
{
	char	 prefix[600];

	put("empty/readme.txt", "x", 1);
	put("empty/sub/.hidden.yaml", "namespace: a\n", 13);
	snprintf(prefix, sizeof(prefix), "%s: ", at("empty"));
	CHECK(fails(at("empty"), 1, prefix, "no *.yaml file"));
	puts_app("blank", "# nothing here\n");
	snprintf(prefix, sizeof(prefix), "%s/_index.yaml:1:1: ", at("blank"));
	CHECK(fails(at("blank"), 1, prefix, "found an empty file"));
}

static void
test_symlink_escape(void)
{
	char	 prefix[600], target[600], link[600];

	put("outside.lua", "return {}\n", 10);
	puts_app("sym", "namespace: app\nentries:\n  - name: x\n    kind: "
	    "library.lua\n    source: file://in.lua\n");
	snprintf(target, sizeof(target), "%s/outside.lua", tmp);
	snprintf(link, sizeof(link), "%s/sym/in.lua", tmp);
	CHECK(symlink(target, link) == 0);
	snprintf(prefix, sizeof(prefix), "%s/_index.yaml:5:13: ", at("sym"));
	CHECK(fails(at("sym"), 1, prefix, "source file \"in.lua\" is outside "
	    "the app folder"));
	/* A folder is not a source file; a symlink inside the app is fine. */
	CHECK(unlink(link) == 0);
	CHECK(mkdir(link, 0700) == 0);
	CHECK(fails(at("sym"), 1, prefix, "is not a regular file"));
	CHECK(rmdir(link) == 0);
	put("sym/real.lua", "return {}\n", 10);
	CHECK(symlink("real.lua", link) == 0);
	snprintf(target, sizeof(target), "%s", at("sym"));
	{
		struct app	 app;

		CHECK(loads(target, &app));
		config_free(&app);
	}
}

/* ---- more shapes of broken YAML, each at its exact place ---- */

struct bad {
	const char	*yaml;
	const char	*where;		/* "line:col: " */
	const char	*part;
};

static const struct bad bads[] = {
	{ "namespace: app\n---\nnamespace: b\n", "2:1: ",
	    "a second YAML document" },
	{ "namespace: app\nnamespace: b\n", "2:1: ",
	    "field \"namespace\" appears twice in the top-level mapping" },
	{ "entries: []\n", "1:1: ", "missing \"namespace\"" },
	{ "- a\n- b\n", "1:1: ", "expected a mapping" },
	{ "namespace: app\nentires: []\n", "2:1: ",
	    "unknown field \"entires\" in the top-level mapping" },
	{ "namespace: a:b\n", "1:12: ", "may not contain ':'" },
	{ "namespace: app\nentries: {a: 1}\n", "2:10: ",
	    "\"entries\" must be a list, not a mapping" },
	{ "namespace: app\nentries:\n  - just a string\n", "3:5: ",
	    "an entry must be a mapping" },
	{ "namespace: app\nentries:\n  - name: \"a\\0b\"\n    kind: x\n",
	    "3:11: ", "\"name\" contains a NUL byte" },
	{ "namespace: app\nentries:\n  - name: a b\n    kind: x\n", "3:11: ",
	    "\"name\" \"a b\" may not contain" },
	{ "namespace: app\nentries:\n  - name: a\n", "3:5: ",
	    "entry \"app:a\" has no \"kind\"" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    name: b\n", "5:5: ", "field \"name\" appears twice in "
	    "process.host entry \"app:a\"" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    hide_logs: true\n", "5:5: ", "unknown field \"hide_logs\" in "
	    "process.host entry \"app:a\"" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    sandbox: \"false\"\n", "5:14: ",
	    "must be true or false, not the quoted string \"false\"" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: terminal.host\n"
	    "    sandbox: maybe\n", "5:14: ", "\"sandbox\" must be true or false" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.lua\n"
	    "    source: \"return 1\"\n    sandbox: false\n", "6:5: ",
	    "unknown field \"sandbox\" in process.lua entry \"app:a\"" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {auto_start: \"true\"}\n", "5:29: ",
	    "must be true or false, not the quoted string \"true\"" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {stop: 1s}\n", "5:17: ",
	    "unknown field \"stop\" in \"lifecycle\" of entry \"app:a\"" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {stop_timeout: -1s}\n", "5:31: ",
	    "\"stop_timeout\" must not be negative" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {stop_timeout: 10}\n", "5:31: ",
	    "bad duration \"10\" for \"stop_timeout\": missing unit" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {restart: {jitter: 2}}\n", "5:35: ",
	    "\"jitter\" must be between 0 and 1" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {restart: {backoff_factor: two}}\n", "5:43: ",
	    "\"backoff_factor\" must be a number, not \"two\"" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {restart: {backoff_factor: 0.5}}\n", "5:43: ",
	    "\"backoff_factor\" must be between 1 and 1000, not \"0.5\"" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {restart: {jitter: -0.1}}\n", "5:35: ",
	    "\"jitter\" must be between 0 and 1, not \"-0.1\"" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {restart: {initial_delay: 0s, max_delay: 0s}}\n",
	    "5:42: ", "\"initial_delay\" must be at least 100ms, not \"0s\"" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {restart: {initial_delay: 99ms}}\n", "5:42: ",
	    "\"initial_delay\" must be at least 100ms, not \"99ms\"" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {restart: {max_delay: 0s}}\n", "5:26: ",
	    "\"max_delay\" (0s) is shorter than \"initial_delay\" (1s)" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {restart: {max_attempts: -1}}\n", "5:41: ",
	    "\"max_attempts\" is out of range" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {restart: {max_attempts: 1.5}}\n", "5:41: ",
	    "\"max_attempts\" must be an integer" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {restart: {initial_delay: 5s, max_delay: 1s}}\n",
	    "5:26: ", "\"max_delay\" (1s) is shorter than \"initial_delay\" "
	    "(5s)" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    limits: {memory: 64XB}\n", "5:22: ",
	    "\"memory\" must be a size" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    limits: {memory: 99999999999G}\n", "5:22: ",
	    "\"memory\" must be a size" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    limits: {cpu_time: 0s}\n", "5:24: ",
	    "\"cpu_time\" must be at least 1s" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {requires: [app:b], depends_on: [app:b]}\n"
	    "  - name: b\n    kind: process.host\n", "5:48: ",
	    "give only one" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {requires: [app:a]}\n", "5:28: ",
	    "dependency cycle: app:a -> app:a" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "    lifecycle: {requires: [nope]}\n", "5:28: ",
	    "required entry \"nope\" not found (entry \"app:a\") (ids are "
	    "\"namespace:name\", not \"app:nope\")" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "  - name: s\n    kind: process.service\n    process: a\n"
	    "    host: app:a\n", "7:14: ", "process \"a\" not found (entry "
	    "\"app:s\") (did you mean \"app:a\"?)" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "  - name: s\n    kind: process.service\n    process: app:a\n"
	    "    host: app:a\n", "7:14: ", "process \"app:a\" is a "
	    "process.host, not a process.lua (entry \"app:s\")" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.lua\n"
	    "    source: return 1\n  - name: s\n    kind: process.service\n"
	    "    process: app:a\n", "6:5: ",
	    "process.service entry has no \"host\" (entry \"app:s\")" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.lua\n"
	    "    method: main\n", "3:5: ",
	    "process.lua entry has no \"source\" (entry \"app:a\")" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.lua\n"
	    "    source: return 1\n    imports: {x: app:a}\n", "6:18: ",
	    "library \"app:a\" is a process.lua, not a library.lua (entry "
	    "\"app:a\")" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: library.lua\n"
	    "    source: return 1\n    imports: {x: app:b}\n  - name: b\n"
	    "    kind: library.lua\n    source: return 2\n    imports: {y: "
	    "app:a}\n", "10:18: ", "import cycle: app:a -> app:b -> app:a" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: library.lua\n"
	    "    source: return 1\n    imports: {x: app:a, x: app:a}\n",
	    "6:25: ", "import alias \"x\" appears twice" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: library.lua\n"
	    "    source: \"x = = 1\"\n", "5:13: ", "unexpected symbol near "
	    "'=', at line 1 of the inline source (entry \"app:a\")" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: library.lua\n"
	    "    source: file://\n", "5:13: ", "must name a file relative" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: library.lua\n"
	    "    source: file:///etc/passwd\n", "5:13: ",
	    "must name a file relative" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: library.lua\n"
	    "    source: file://sub/../../x.lua\n", "5:13: ",
	    "not found" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: library.lua\n"
	    "    source: return 1\n    modules: [time, [x]]\n", "6:21: ",
	    "\"modules\" must be a string, not a list" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: library.lua\n"
	    "    source: return 1\n    modules: time\n", "6:14: ",
	    "\"modules\" must be a list, not a string" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: library.lua\n"
	    "    source: return 1\n    modules: [\"\"]\n", "6:15: ",
	    "\"modules\" items must not be empty" },
	{ "namespace: app\nentries:\n  - name: a\n    kind: process.host\n"
	    "  - &e {name: b, kind: process.host}\n  - *e\n", "5:15: ",
	    "duplicate entry \"app:b\"" },
	{ "namespace: app\nentries: &a [*a]\n", "2:10: ",
	    "an entry must be a mapping" },
	{ "namespace: app\nentries: [*nope]\n", "2:11: ",
	    "found undefined alias" },
	{ "namespace: app\nentries:\n  - {name: a, kind: process.host, "
	    "[k]: 1}\n", "3:35: ", "a field name in process.host entry "
	    "\"app:a\" is a list" },
	{ "namespace: \"tab\\there\"\n", "1:12: ", "\"namespace\" "
	    "\"tab\\x09here\" may not contain '?'" },
};

static void
test_bad_shapes(void)
{
	char	 prefix[600];
	size_t	 i;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		puts_app("shape", bads[i].yaml);
		snprintf(prefix, sizeof(prefix), "%s/_index.yaml:%s",
		    at("shape"), bads[i].where);
		if (!fails(at("shape"), 1, prefix, bads[i].part)) {
			fprintf(stderr, "  (case %zu)\n", i);
			CHECK(0);
		}
	}
}

/*
 * Where a Lua syntax error is reported: <eof> just past the line's end,
 * else the copy of the token Lua names that the error is at, else the
 * line's first non-blank; typed-Lua annotations know their column and
 * say it the same way.
 */
static const struct {
	const char	*src, *where, *msg;
} cols[] = {
	{ "\xef\xbb\xbf#!/bin/lua\nlocal x = (\n", "lua/sub/a.lua:3:1: ",
	    "unexpected symbol near <eof>" },
	{ "local s = [[\nabc", "lua/sub/a.lua:2:4: ",
	    "unfinished long string (starting at line 1) near <eof>" },
	{ "local x = 1\n\t  x y\n", "lua/sub/a.lua:2:6: ",
	    "syntax error near 'y'" },
	{ "local y = 1\nprint(y) print(x y) print(y)\n", "lua/sub/a.lua:2:18: ",
	    "')' expected near 'y'" },
	{ "local x <const> = 1\n   x = 2\n", "lua/sub/a.lua:2:4: ",
	    "attempt to assign to const variable 'x'" },
	{ "local x = 1\n  local y: = 2\n", "lua/sub/a.lua:2:12: ",
	    "type expected near '='" },
};

static void
test_lua_file_errors(void)
{
	size_t	 i;

	puts_app("lua", "namespace: app\nentries:\n  - name: a\n    kind: "
	    "process.lua\n    source: file://sub/a.lua\n");
	put("lua/sub/a.lua", "\x1bLua\x54\x00junk", 10);
	CHECK(fails(at("lua"), 1, at("lua/sub/a.lua:1:1: "),
	    "attempt to load a binary chunk"));
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		put("lua/sub/a.lua", cols[i].src, strlen(cols[i].src));
		CHECK(fails(at("lua"), 1, at(cols[i].where), cols[i].msg));
	}
	/* A source in a subfolder's yaml is relative to that yaml. */
	put("lua/sub/a.lua", "return {}\n", 10);
	puts_app("lua/sub", "namespace: more\nentries:\n  - name: b\n"
	    "    kind: library.lua\n    source: file://a.lua\n");
	{
		struct app	 app;

		CHECK(loads(at("lua"), &app));
		CHECK(app.nentries == 2 && strcmp(app.entries[0]->source_path,
		    app.entries[1]->source_path) == 0);
		config_free(&app);
	}
}

/* Twenty errors are listed, then one line says there were more. */
static void
test_many_errors(void)
{
	char	 yaml[4096], prefix[600], *p = yaml;
	int	 i;

	p += sprintf(p, "namespace: app\nentries:\n");
	for (i = 0; i < 30; i++)
		p += sprintf(p, "  - {name: e%d, kind: bogus}\n", i);
	puts_app("many", yaml);
	snprintf(prefix, sizeof(prefix), "%s: ", at("many"));
	CHECK(fails(at("many"), 21, prefix, "too many errors; only the first "
	    "20 are shown"));
	snprintf(prefix, sizeof(prefix), "%s/_index.yaml:22:23: ",
	    at("many"));
	CHECK(fails(at("many"), 21, prefix, "unknown kind \"bogus\" in entry "
	    "\"app:e19\""));
}

int
main(void)
{
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_seed);
	RUN(test_full);
	RUN(test_fixtures);
	RUN(test_paths);
	RUN(test_deep);
	RUN(test_binary);
	RUN(test_big);
	RUN(test_no_yaml);
	RUN(test_symlink_escape);
	RUN(test_bad_shapes);
	RUN(test_lua_file_errors);
	RUN(test_many_errors);
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	UNIT_EXIT();
}
