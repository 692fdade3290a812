/*
 * actor.c: the life of the one actor this process runs: read START from
 * the supervisor, build the sandboxed Lua state, run the entry's main as
 * the first task, report the result in an EXITING frame, exit.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "frame.h"
#include "log.h"
#include "mod_errors.h"
#include "proto.h"
#include "sandbox.h"
#include "sched.h"
#include "seccomp.h"
#include "shim.h"
#include "termfilter.h"
#include "typestrip.h"
#include "value.h"
#include "xmalloc.h"

struct shim shim;

static struct wbuf	 start_body;
static const void	*start_args;
static size_t		 start_argslen;
static int		 ready_sent;
static int		 boot_ref = LUA_NOREF;	/* loaded ahead: boot_ahead */
static int		 close_at_end;	/* OSACTOR_CLOSE_STATE: lua_close at the end */

/* Runs main inside the first task, so the chunk itself may block too. */
static const char boot_lua[] =
	"local chunk, method = ...\n"
	"local select, type, error, format = select, type, error, "
	"string.format\n"
	"local mod = chunk()\n"
	"local f = mod\n"
	"if type(mod) == 'table' then f = mod[method] end\n"
	"if type(f) ~= 'function' then\n"
	"  error(format('method \"%s\" not found in module', method), 0)\n"
	"end\n"
	"return f(select(3, ...))\n";

static char *
start_str(struct rbuf *r)
{
	char	*s;

	if ((s = rbuf_cstrdup(r, SIZE_MAX)) == NULL)
		fatalx("malformed START frame");
	return s;
}

/* A count of strings that follow: each takes at least 4 bytes. */
static size_t
start_count(struct rbuf *r)
{
	uint32_t	 n = rbuf_u32(r);

	if (r->err || n > rbuf_left(r) / 4)
		fatalx("malformed START frame");
	return n;
}

/* A modules: list and an imports: map, as the START frame has them. */
static void
start_scope(struct rbuf *r, struct shim_scope *sc)
{
	size_t	 i;

	sc->nmodules = start_count(r);
	sc->modules = xcalloc(sc->nmodules + 1, sizeof(char *));
	for (i = 0; i < sc->nmodules; i++)
		sc->modules[i] = start_str(r);
	sc->nimports = start_count(r);
	sc->import_alias = xcalloc(sc->nimports + 1, sizeof(char *));
	sc->import_id = xcalloc(sc->nimports + 1, sizeof(char *));
	for (i = 0; i < sc->nimports; i++) {
		sc->import_alias[i] = start_str(r);
		sc->import_id[i] = start_str(r);
	}
}

static void
start_parse(struct rbuf *r)
{
	uint8_t	 flags;
	size_t	 i;

	shim.id = rbuf_u32(r);
	shim.pid = start_str(r);
	shim.entry = start_str(r);
	shim.host = start_str(r);
	shim.source = start_str(r);
	shim.code = start_str(r);
	shim.chunk = start_str(r);
	shim.method = start_str(r);
	shim.log_level = rbuf_u8(r);
	flags = rbuf_u8(r);
	shim.terminal = (flags & START_F_TERMINAL) != 0;
	shim.main = (flags & START_F_MAIN) != 0;
	shim.sandbox = (flags & START_F_SANDBOX) != 0;
	start_scope(r, &shim.scope);
	shim.nlibs = start_count(r);
	shim.libs = xcalloc(shim.nlibs + 1, sizeof(*shim.libs));
	for (i = 0; i < shim.nlibs; i++) {
		shim.libs[i].id = start_str(r);
		shim.libs[i].source = start_str(r);
		shim.libs[i].code = start_str(r);
		shim.libs[i].chunk = start_str(r);
		start_scope(r, &shim.libs[i].scope);
	}
	/* Sends to these need no reply: the supervisor will say GONE. */
	for (i = start_count(r); i > 0; i--)
		peers_add(rbuf_u32(r));
	start_argslen = rbuf_left(r);
	start_args = rbuf_bytes(r, start_argslen);
}

/* Leave now, without a result: the supervisor is gone or stops us. */
void
actor_exit_now(int code)
{
	io_flush_all();
	_exit(code);
}

static void
idle_hook(void *arg)
{
	if (!ready_sent) {
		ready_sent = 1;
		frame_finish(link_out(), link_begin(FRAME_READY, 0, 0));
	}
	io_flush_all();
	link_flush();
	if (!sched_busy())
		link_sleep();
}

/*
 * A UTF-8 byte order mark and a first "#" line are not Lua, as for
 * luaL_loadfile and osactor check: blank them, keeping line numbers.
 */
static void
skip_head(char *buf, size_t len)
{
	size_t	 i = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		for (; i < 3; i++)
			buf[i] = ' ';
	if (i < len && buf[i] == '#')
		for (; i < len && buf[i] != '\n'; i++)
			buf[i] = ' ';
}

/*
 * Sources the zygote compiled before this actor was cloned from it, as
 * bytecode: loading that skips reading, type stripping and parsing.
 */
struct precompiled {
	char		*path;
	char		*code;
	char		*chunk;
	struct wbuf	 bc;
};
static struct precompiled *precompiled;
static size_t		   nprecompiled;

static int
precompiled_load(lua_State *L, const char *path, const char *code,
    const char *chunk)
{
	const struct precompiled *p;
	size_t			  i;

	for (i = 0; i < nprecompiled; i++) {
		p = &precompiled[i];
		if (strcmp(p->chunk, chunk) == 0 && strcmp(p->path, path) == 0 &&
		    strcmp(p->code, code) == 0)
			return luaL_loadbufferx(L, (const char *)p->bc.data,
			    p->bc.len, chunk, "b");
	}
	return -1;
}

/* Load a source file (or inline code when path is ""), text only. */
static int
load_chunk(lua_State *L, const char *path, const char *code, const char *chunk)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0;
	int	 rv;

	if ((rv = precompiled_load(L, path, code, chunk)) != -1)
		return rv;
	if (*path == '\0')
		return typestrip_load(L, code, strlen(code), chunk);
	if ((f = fopen(path, "re")) == NULL) {
		lua_pushfstring(L, "cannot open %s", chunk + 1);
		return LUA_ERRFILE;
	}
	for (;;) {
		buf = xrealloc(buf, len + 65536);
		len += fread(buf + len, 1, 65536, f);
		if (feof(f) || ferror(f))
			break;
	}
	skip_head(buf, len);
	rv = ferror(f) ? LUA_ERRFILE : typestrip_load(L, buf, len, chunk);
	if (rv == LUA_ERRFILE)
		lua_pushfstring(L, "cannot read %s", chunk + 1);
	fclose(f);
	free(buf);
	return rv;
}

static void	precompiled_keep(lua_State *, const char *, const char *,
		    const char *);

static int
precompiled_put(lua_State *L, const void *p, size_t n, void *ud)
{
	wbuf_put(ud, p, n);
	return 0;
}

/*
 * The zygote: compile a source now, for every actor cloned later.  One
 * that does not load is left to them, so they report it as they would.
 */
void
actor_precompile(lua_State *L, const char *path, const char *code,
    const char *chunk)
{
	if (load_chunk(L, path, code, chunk) != LUA_OK) {
		lua_pop(L, 1);
		return;
	}
	precompiled_keep(L, path, code, chunk);
}

/* The function on top of L, kept as bytecode, and popped. */
static void
precompiled_keep(lua_State *L, const char *path, const char *code,
    const char *chunk)
{
	struct precompiled	*p;

	precompiled = xrealloc(precompiled, (nprecompiled + 1) *
	    sizeof(*precompiled));
	p = &precompiled[nprecompiled++];
	p->path = xstrdup(path);
	p->code = xstrdup(code);
	p->chunk = xstrdup(chunk);
	memset(&p->bc, 0, sizeof(p->bc));
	lua_dump(L, precompiled_put, &p->bc, 0);
	lua_pop(L, 1);
}

/* The zygote: the boot chunk too, once sources are in; then a clean heap. */
void
actor_precompile_done(lua_State *L)
{
	if (luaL_loadbufferx(L, boot_lua, sizeof(boot_lua) - 1, "=boot",
	    "t") != LUA_OK)
		fatalx("boot: %s", lua_tostring(L, -1));
	precompiled_keep(L, "", boot_lua, "=boot");
	/* Garbage collected here is not collected again in every actor. */
	lua_gc(L, LUA_GCCOLLECT);
}

/* io.args() of the -x actor: the words after -x SPEC, its arguments. */
static void
set_io_args(lua_State *L, int nargs)
{
	int	 i, first = lua_gettop(L) - nargs + 1;

	lua_createtable(L, nargs, 0);
	for (i = 0; i < nargs; i++) {
		lua_pushvalue(L, first + i);
		lua_rawseti(L, -2, i + 1);
	}
	io_set_args(L, -1);
	lua_pop(L, 1);
}

#define LIBCHUNKS_KEY	"osactor.libchunks"	/* library id -> chunk or error */

/*
 * Every library the actor may require, loaded before its code runs: in
 * the sandbox no file can be opened.  A library that does not load is
 * kept as its error message, for the require() that reaches it.
 */
static void
preload_libs(lua_State *L)
{
	const struct shim_lib	*lib;
	size_t			 i;

	luaL_getsubtable(L, LUA_REGISTRYINDEX, LIBCHUNKS_KEY);
	for (i = 0; i < shim.nlibs; i++) {
		lib = &shim.libs[i];
		(void)load_chunk(L, lib->source, lib->code, lib->chunk);
		lua_setfield(L, -2, lib->id);
	}
	lua_pop(L, 1);
}

/* The boot chunk, loaded ahead by a spare (boot_ahead) or now. */
static void
push_boot(lua_State *L)
{
	int	 rv;

	if (boot_ref != LUA_NOREF) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, boot_ref);
		luaL_unref(L, LUA_REGISTRYINDEX, boot_ref);
		boot_ref = LUA_NOREF;
		return;
	}
	if ((rv = precompiled_load(L, "", boot_lua, "=boot")) == -1)
		rv = luaL_loadbufferx(L, boot_lua, sizeof(boot_lua) - 1,
		    "=boot", "t");
	if (rv != LUA_OK)
		fatalx("boot: %s", lua_tostring(L, -1));
}

/*
 * A spare's boot chunk, loaded while it waits: the same for every actor,
 * with the globals it will have, and loading it maps the Lua loader's
 * code and the heap pages it writes, which a spawn would wait for.
 */
static void
boot_ahead(lua_State *L)
{
	push_boot(L);
	boot_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* Push boot, chunk, method and the arguments; how many values above boot. */
static int
push_main(lua_State *L, char *err, size_t errlen)
{
	int	 nargs;

	preload_libs(L);
	push_boot(L);
	if (load_chunk(L, shim.source, shim.code, shim.chunk) != LUA_OK) {
		snprintf(err, errlen, "%s", lua_tostring(L, -1));
		return -1;
	}
	lua_pushstring(L, shim.method);
	if (value_decode(L, start_args, start_argslen, &nargs, err,
	    errlen) == -1)
		return -1;
	if (shim.main)
		set_io_args(L, nargs);
	return 2 + nargs;
}

static void
send_exiting(uint8_t status, const void *p, size_t n)
{
	struct wbuf	*b = link_out();
	size_t		 start;

	start = link_begin(FRAME_EXITING, 0, 0);
	wbuf_put_u8(b, status);
	wbuf_put(b, p, n);
	if (frame_finish(b, start) == -1) {
		b->len = start;
		start = link_begin(FRAME_EXITING, 0, 0);
		wbuf_put_u8(b, PROTO_ERROR);
		wbuf_put_cstr(b, "result too large to send");
		frame_finish(b, start);
	}
}

/*
 * Shutdown's CANCEL to an actor that never called process.events(): it
 * is stopped at once, with an error exit that says why, not the bare
 * "exited without a result" of a process that vanished.
 */
void
actor_exit_unseen_cancel(const char *reason, size_t len)
{
	struct wbuf		 b = { 0 };
	static const char	 pre[] = "stopped at shutdown (";
	static const char	 post[] = "): it never called process.events() "
	    "to see the CANCEL";

	wbuf_put(&b, pre, sizeof(pre) - 1);
	wbuf_put(&b, reason, len);
	wbuf_put(&b, post, sizeof(post) - 1);
	send_exiting(PROTO_ERROR, b.data, b.len);
	wbuf_free(&b);
	link_flush_all();
	actor_exit_now(0);
}

/* A line for the terminal, through the same filter as io's output. */
static void
terminal_line(int fd, const char *s, size_t n)
{
	struct termfilter tf;
	struct wbuf	 b = { 0 };
	ssize_t		 w;

	io_flush_all();
	termfilter_init(&tf);
	termfilter_write(&tf, &b, s, n);
	termfilter_finish(&tf, &b);
	wbuf_put_u8(&b, '\n');
	while (wbuf_pending(&b) > 0) {
		if ((w = write(fd, b.data + b.off, wbuf_pending(&b))) <= 0)
			break;		/* the terminal is gone */
		b.off += (size_t)w;
	}
	wbuf_free(&b);
}

/*
 * The EXITING body of an error exit: its message and, when the actor
 * failed with the error object at idx (0: none), a NUL and the object
 * and its details as a value sequence, so its kind, retryable flag and
 * details reach monitors and exec callers (push_exit_result reads it).
 * The supervisor passes the body on as it is and prints it as a C string,
 * which ends at the NUL.  Details that cannot travel are left out.
 */
static void
error_body(lua_State *L, int idx, const char *msg, struct wbuf *b)
{
	char	 err[256];
	size_t	 start;
	int	 n;

	wbuf_put(b, msg, strlen(msg));
	if (idx == 0 || !errors_is_error(L, idx))
		return;
	start = b->len;
	lua_pushvalue(L, idx);
	errors_push_details(L, idx);
	for (n = 2; n > 0; n--) {
		wbuf_put_u8(b, '\0');
		if (value_encode(L, lua_gettop(L) - 1, n, b, err,
		    sizeof(err)) == 0)
			break;
		b->len = start;
	}
	lua_pop(L, 2);
}

/*
 * An error exit, with the error value at idx (0: msg alone): tell the
 * supervisor, and the terminal if we are -x.
 */
static int
exit_error(lua_State *L, int idx, const char *msg, const char *traceback)
{
	struct log_record r = { LOG_ERROR, shim.entry, shim.pid, NULL, NULL,
	    0, NULL, NULL };
	struct wbuf	 b = { 0 };
	char		*line;
	int		 n;

	error_body(L, idx, msg, &b);
	send_exiting(PROTO_ERROR, b.data, b.len);
	wbuf_free(&b);
	if (traceback != NULL) {
		n = xasprintf(&line, "%s\n%s", msg, traceback);
		r.msg = line;
		r.msglen = (size_t)n;
		log_record(&r);
		free(line);
	}
	if (shim.main)
		terminal_line(STDERR_FILENO, msg, strlen(msg));
	return 1;
}

/* The -x actor's exit status from its result (API.md section 9). */
static int
main_status(lua_State *L, int idx)
{
	const char	*str;
	size_t		 len;

	switch (lua_type(L, idx)) {
	case LUA_TNUMBER:
		return (int)(lua_tointeger(L, idx) & 0xff);
	case LUA_TBOOLEAN:
		return lua_toboolean(L, idx) ? 0 : 1;
	case LUA_TSTRING:
		str = lua_tolstring(L, idx, &len);
		terminal_line(STDOUT_FILENO, str, len);
		return 0;
	default:
		return 0;
	}
}

/* main returned nres values: v, or v, err with err not nil. */
static int
exit_returned(lua_State *L, int nres)
{
	struct wbuf	 b = { 0 };
	char		 err[256];
	const char	*msg;
	int		 first = lua_gettop(L) - nres + 1, code;

	if (nres >= 2 && !lua_isnil(L, first + 1)) {
		msg = luaL_tolstring(L, first + 1, NULL);
		return exit_error(L, first + 1, msg, NULL);
	}
	if (nres == 0)
		lua_pushnil(L);
	if (value_encode(L, first, 1, &b, err, sizeof(err)) == -1)
		return exit_error(L, 0, err, NULL);
	send_exiting(PROTO_OK, b.data, b.len);
	wbuf_free(&b);
	code = shim.main ? main_status(L, first) : 0;
	return code;
}

#define LIBVALUES_KEY	"osactor.libvalues"	/* library id -> {value} */

/*
 * require() of an import: the value of library id, computed once per
 * actor (the first require runs the file, in the library's own globals
 * and scope; later ones get the same value).  1 with the value pushed,
 * 0 when id is no library this actor was given.
 */
static int
import_library(lua_State *L, const char *id)
{
	const struct shim_lib	*lib = NULL;
	size_t			 i;

	for (i = 0; i < shim.nlibs && lib == NULL; i++)
		if (strcmp(shim.libs[i].id, id) == 0)
			lib = &shim.libs[i];
	if (lib == NULL)
		return 0;
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LIBVALUES_KEY);
	if (lua_getfield(L, -1, id) == LUA_TTABLE) {
		lua_rawgeti(L, -1, 1);
		lua_replace(L, -3);
		lua_pop(L, 1);
		return 1;
	}
	lua_pop(L, 1);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LIBCHUNKS_KEY);
	lua_getfield(L, -1, id);
	lua_remove(L, -2);
	if (!lua_isfunction(L, -1))
		lua_error(L);		/* its load error */
	sandbox_push_env(L, &lib->scope);
	if (lua_setupvalue(L, -2, 1) == NULL)
		lua_pop(L, 1);
	lua_call(L, 0, 1);
	lua_createtable(L, 1, 0);
	lua_pushvalue(L, -2);
	lua_rawseti(L, -2, 1);
	lua_setfield(L, -3, id);
	lua_replace(L, -2);
	return 1;
}

/* The standard globals, before anyone says which actor this is. */
lua_State *
actor_base_state(void)
{
	sandbox_register("process", luaopen_process);
	sandbox_set_importer(import_library);
	return sandbox_new();
}

/* The actor's state: the zygote's, if it was cloned from one. */
static lua_State *
actor_state(void)
{
	lua_State	*L = shim.L != NULL ? shim.L : actor_base_state();

	sandbox_finish(L, &shim.scope, &shim.loop);
	process_init(L);
	sched_set_idle(idle_hook, NULL);
	return L;
}

/*
 * TZ naming the zone's file, read once: the zygote does it for all its
 * clones (tzset(3) does not read the file again while TZ is the same).
 */
void
actor_timezone(void)
{
	if (getenv("TZ") == NULL && setenv("TZ", ":/etc/localtime", 0) == -1)
		fatal("setenv");
	tzset();
}

/*
 * The kernel's half of the sandbox (seccomp.c), when the host has it:
 * from here on the actor can use what it has, never open anything.
 * The time zone is read now, while /etc/localtime can still be opened;
 * with TZ unset glibc's mktime(3) would stat(2) it again on every call,
 * with TZ naming the same file it does not.
 */
static int
actor_seccomp(char *err, size_t errlen)
{
	if (!shim.sandbox || shim.filtered)
		return 0;
	actor_timezone();
	if (seccomp_sandbox() == -1) {
		snprintf(err, errlen, "sandbox: cannot install the seccomp "
		    "filter: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A spare's part of its actor's start, done while it waits: the event
 * loop, the boot chunk and the link's buffer (between them 11 of the 14
 * page faults an actor's start took from START to its first message),
 * and, when its pool serves sandboxed hosts, the seccomp filter
 * (installing one is most of what a spawn costs on some machines).  What
 * the actor does after its spec is allowed by the filter; START and its
 * code come after it as for any actor.  A filter that fails here is
 * tried again, and reported, as the actor starts.
 */
void
actor_prepare(int sandbox)
{
	if (ev_init(&shim.loop) == -1)
		fatal("epoll_create1");
	shim.prepared = 1;
	if (shim.L != NULL)
		boot_ahead(shim.L);
	link_reserve();
	if (sandbox && seccomp_sandbox() == 0)
		shim.filtered = 1;
}

int
actor_main(void)
{
	struct rbuf	 r;
	lua_State	*L;
	char		 err[512];
	int		 n, nres, code;

	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		fatal("signal");
	close_at_end = getenv("OSACTOR_CLOSE_STATE") != NULL;
	if (link_read_start(&start_body, &r) == -1)
		fatalx("no START frame from the supervisor on fd 3");
	start_parse(&r);
	setproctitle("-osactor: %s %s", shim.entry, shim.pid);
	log_init(shim.log_level, shim.entry);
	if (!shim.prepared && ev_init(&shim.loop) == -1)
		fatal("epoll_create1");
	L = actor_state();
	link_init();
	if ((n = push_main(L, err, sizeof(err))) == -1 ||
	    actor_seccomp(err, sizeof(err)) == -1)
		code = exit_error(L, 0, err, NULL);
	else {
		sched_main(L, n);
		if (sched_run(L, &nres) == 0)
			code = exit_returned(L, nres);
		else {
			sched_failure_value(L);
			code = exit_error(L, lua_gettop(L),
			    lua_tostring(L, -3), lua_tostring(L, -2));
		}
	}
	io_flush_all();
	link_flush_all();
	/*
	 * Under memcheck (tests/memcheck-shim), close the state as lua.c
	 * does, so that what finalisers free is checked and the heap is
	 * not left to be reported as possibly lost.
	 */
	if (close_at_end)
		lua_close(L);
	actor_exit_now(code);
}
