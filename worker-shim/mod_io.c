/*
 * mod_io.c: the runtime's `io` module (API.md section 6), only for
 * actors on a terminal host: buffered output to stdout and stderr
 * through the terminal filter, and line or byte input from stdin that
 * blocks only the calling task.
 *
 * stdin is never made non-blocking: on a terminal it shares its open file
 * description with stdout, the supervisor and the shell, and O_NONBLOCK
 * would leak into all of them.  It is read once each time epoll says it
 * is readable, and only while some task waits for input.  A regular file
 * (epoll refuses it with EPERM) is read directly: it never blocks.
 */
#include <sys/epoll.h>
#include <sys/queue.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

#include "ev.h"
#include "frame.h"
#include "mod_errors.h"
#include "sandbox.h"
#include "sched.h"
#include "shim.h"
#include "termfilter.h"
#include "xmalloc.h"

#define IO_OUT_MAX	4096		/* output buffered before a write */
#define IO_CHUNK	4096		/* one read(2) */
#define IO_LINE_MAX	(1U << 20)	/* a longer line comes in pieces */
#define IO_STATE_META	"osactor.io"
#define IO_ARGS_KEY	"osactor.io.args"

struct out {
	int			 fd;
	struct termfilter	 tf;
	struct wbuf		 buf;
};

static struct out	 out_stdout = { .fd = STDOUT_FILENO };
static struct out	 out_stderr = { .fd = STDERR_FILENO };

/* Lives in the blocked io.read* call's stack frame. */
struct reader {
	TAILQ_ENTRY(reader) entry;
	struct task	*t;
	size_t		 want;		/* 0: a line; else at most this many */
};

static struct {
	struct ev_io	 io;
	int		 watching;	/* registered with the loop */
	int		 direct;	/* a regular file */
	int		 eof;
	int		 error;		/* errno of a failed read */
	struct wbuf	 buf;
	TAILQ_HEAD(, reader) readers;
} in = { .io = { .fd = -1 }, .readers = TAILQ_HEAD_INITIALIZER(in.readers) };

/* Write out what is buffered; a stream that fails is given up on. */
static void
out_flush(struct out *o)
{
	struct pollfd	 pfd = { .fd = o->fd, .events = POLLOUT };
	ssize_t		 n;

	while (wbuf_pending(&o->buf) > 0) {
		n = write(o->fd, o->buf.data + o->buf.off,
		    wbuf_pending(&o->buf));
		if (n > 0) {
			o->buf.off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN &&
		    (poll(&pfd, 1, -1) != -1 || errno == EINTR))
			continue;
		break;
	}
	o->buf.off = o->buf.len = 0;
}

static void
out_put(struct out *o, const char *s, size_t n)
{
	termfilter_write(&o->tf, &o->buf, s, n);
	if (wbuf_pending(&o->buf) >= IO_OUT_MAX)
		out_flush(o);
}

void
io_flush_all(void)
{
	out_flush(&out_stdout);
	out_flush(&out_stderr);
}

static int
io_no_terminal(lua_State *L)
{
	return errors_return(L, ERR_UNAVAILABLE, "no terminal context");
}

static int
io_write(lua_State *L)
{
	const char	*s;
	size_t		 len;
	int		 i, n = lua_gettop(L);

	if (!shim.terminal)
		return io_no_terminal(L);
	for (i = 1; i <= n; i++) {
		s = luaL_checklstring(L, i, &len);
		out_put(&out_stdout, s, len);
	}
	lua_pushboolean(L, 1);
	return 1;
}

/* tostring of each argument, tab-separated, then a newline. */
static void
io_print_to(lua_State *L, struct out *o)
{
	const char	*s;
	size_t		 len;
	int		 i, n = lua_gettop(L);

	for (i = 1; i <= n; i++) {
		if (i > 1)
			out_put(o, "\t", 1);
		s = luaL_tolstring(L, i, &len);
		out_put(o, s, len);
		lua_pop(L, 1);
	}
	out_put(o, "\n", 1);
}

static int
io_print(lua_State *L)
{
	if (!shim.terminal)
		return io_no_terminal(L);
	io_print_to(L, &out_stdout);
	lua_pushboolean(L, 1);
	return 1;
}

/* Unbuffered, and after what stdout holds, so the two stay in order. */
static int
io_eprint(lua_State *L)
{
	if (!shim.terminal)
		return io_no_terminal(L);
	out_flush(&out_stdout);
	io_print_to(L, &out_stderr);
	out_flush(&out_stderr);
	lua_pushboolean(L, 1);
	return 1;
}

static int
io_flush(lua_State *L)
{
	if (!shim.terminal)
		return io_no_terminal(L);
	io_flush_all();
	lua_pushboolean(L, 1);
	return 1;
}

/* One read(2) into the input buffer. */
static void
in_fill(void)
{
	ssize_t	 n;

	wbuf_compact(&in.buf);
	wbuf_reserve(&in.buf, IO_CHUNK);
	n = read(STDIN_FILENO, in.buf.data + in.buf.len, IO_CHUNK);
	if (n > 0)
		in.buf.len += (size_t)n;
	else if (n == 0)
		in.eof = 1;
	else if (errno != EINTR && errno != EAGAIN) {
		in.eof = 1;
		in.error = errno;
	}
}

static int
in_take_bytes(lua_State *th, size_t n)
{
	lua_pushlstring(th, (char *)in.buf.data + in.buf.off, n);
	in.buf.off += n;
	return 1;
}

/*
 * Push onto th what a reader wanting `want` bytes (0: a line) gets from
 * the buffer now: 1 or 2 values, or none (0) when it must wait.
 */
static int
in_take(lua_State *th, size_t want)
{
	const char	*p = (char *)in.buf.data + in.buf.off, *nl;
	size_t		 avail = wbuf_pending(&in.buf), n;

	if (want == 0 && avail > 0 && (nl = memchr(p, '\n', avail)) != NULL) {
		n = (size_t)(nl - p);
		lua_pushlstring(th, p, n > 0 && p[n - 1] == '\r' ? n - 1 : n);
		in.buf.off += n + 1;
		return 1;
	}
	if (want == 0 && avail > 0 && (in.eof || avail >= IO_LINE_MAX))
		return in_take_bytes(th, avail);
	if (want > 0 && avail > 0)
		return in_take_bytes(th, want < avail ? want : avail);
	if (!in.eof)
		return 0;
	lua_pushnil(th);
	if (in.error != 0)
		errors_push(th, ERR_INTERNAL, strerror(in.error));
	else
		errors_push(th, ERR_UNKNOWN, "EOF");
	return 2;
}

static void
in_unwatch(void)
{
	if (!in.watching)
		return;
	ev_io_del(sched_loop(), &in.io);
	in.watching = 0;
	sched_hold(-1);
}

/* Hand input to the waiting readers, first come first served. */
static void
in_serve(void)
{
	struct reader	*r;
	lua_State	*th;
	int		 n;

	while ((r = TAILQ_FIRST(&in.readers)) != NULL) {
		th = task_thread(r->t);
		if (!lua_checkstack(th, 3))
			fatalx("io: no stack space to wake a coroutine");
		if ((n = in_take(th, r->want)) == 0)
			break;
		TAILQ_REMOVE(&in.readers, r, entry);
		sched_wake(r->t, n);
	}
}

static void
in_ready(struct ev_loop *loop, struct ev_io *io, uint32_t events)
{
	in_fill();
	in_serve();
	if (TAILQ_EMPTY(&in.readers))
		in_unwatch();
}

static void
in_watch(void)
{
	if (in.watching || in.direct || in.eof)
		return;
	if (ev_io_add(sched_loop(), &in.io, STDIN_FILENO, EPOLLIN, in_ready,
	    NULL) == 0) {
		in.watching = 1;
		sched_hold(1);
		return;
	}
	if (errno == EPERM)
		in.direct = 1;
	else {
		in.eof = 1;
		in.error = errno;
	}
	in.io.fd = -1;
}

static int
io_input(lua_State *L, size_t want)
{
	struct reader	*r;
	struct task	*t;
	int		 n;

	luaL_checkstack(L, 4, NULL);
	if (TAILQ_EMPTY(&in.readers) && (n = in_take(L, want)) > 0)
		return n;
	in_watch();
	if (in.direct || in.eof) {
		while ((n = in_take(L, want)) == 0)
			in_fill();
		return n;
	}
	t = sched_current(L);
	if (t == NULL || !lua_isyieldable(L)) {
		if (TAILQ_EMPTY(&in.readers))
			in_unwatch();
		sched_need(L);
	}
	r = lua_newuserdatauv(L, sizeof(*r), 0);
	r->t = t;
	r->want = want;
	TAILQ_INSERT_TAIL(&in.readers, r, entry);
	return sched_block(L);
}

static int
io_readline(lua_State *L)
{
	if (!shim.terminal)
		return io_no_terminal(L);
	return io_input(L, 0);
}

static int
io_read(lua_State *L)
{
	lua_Integer	 n;

	if (!shim.terminal)
		return io_no_terminal(L);
	n = luaL_optinteger(L, 1, IO_CHUNK);
	luaL_argcheck(L, n > 0, 1, "must be positive");
	return io_input(L, n > IO_LINE_MAX ? IO_LINE_MAX : (size_t)n);
}

void
io_set_args(lua_State *L, int idx)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_pushvalue(L, idx);
	lua_setfield(L, LUA_REGISTRYINDEX, IO_ARGS_KEY);
}

/* A copy, so one caller's changes are not the next one's arguments. */
static int
io_args(lua_State *L)
{
	lua_Integer	 i, n;

	if (!shim.terminal)
		return io_no_terminal(L);
	lua_getfield(L, LUA_REGISTRYINDEX, IO_ARGS_KEY);
	n = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
	lua_createtable(L, n > INT32_MAX ? 0 : (int)n, 0);
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, -2, i);
		lua_rawseti(L, -2, i);
	}
	return 1;
}

/* At lua_close: the last output, and no reader left in the queue. */
static int
io_state_gc(lua_State *L)
{
	termfilter_finish(&out_stdout.tf, &out_stdout.buf);
	termfilter_finish(&out_stderr.tf, &out_stderr.buf);
	io_flush_all();
	wbuf_free(&out_stdout.buf);
	wbuf_free(&out_stderr.buf);
	in_unwatch();
	TAILQ_INIT(&in.readers);
	wbuf_free(&in.buf);
	in.direct = in.eof = in.error = 0;
	return 0;
}

static const luaL_Reg io_funcs[] = {
	{ "write", io_write },
	{ "print", io_print },
	{ "eprint", io_eprint },
	{ "flush", io_flush },
	{ "readline", io_readline },
	{ "read", io_read },
	{ "args", io_args },
	{ NULL, NULL }
};

int
luaopen_io(lua_State *L)
{
	if (luaL_newmetatable(L, IO_STATE_META)) {
		lua_pushcfunction(L, io_state_gc);
		lua_setfield(L, -2, "__gc");
		lua_newuserdatauv(L, 0, 0);
		lua_pushvalue(L, -2);
		lua_setmetatable(L, -2);
		lua_setfield(L, -2, "state");
	}
	lua_pop(L, 1);
	luaL_newlib(L, io_funcs);
	return 1;
}
