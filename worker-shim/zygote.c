/*
 * zygote.c: osactor-shim --zygote APP, exec'd once by the supervisor with
 * a SOCK_SEQPACKET control socket on fd 3.  It builds a Lua state with
 * the standard globals, compiles every source the supervisor sends, then
 * clones an actor for each FRAME_Z_SPAWN: clone(CLONE_PARENT), so the
 * actor is the supervisor's child, not ours, and is reaped there.  The
 * clone returns from zygote_main and runs actor_main on the ready state,
 * as an exec'd shim would on a fresh one.  For each FRAME_Z_SPARE it
 * clones a spare the same way, which waits on the actor socket it came
 * with until the supervisor writes there which actor it is to be.  EOF
 * on fd 3 ends the zygote.
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <linux/sched.h>

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lua.h>

#include "child.h"
#include "frame.h"
#include "log.h"
#include "proto.h"
#include "shim.h"
#include "xmalloc.h"

#define ZYGOTE_FD	3
#define ZYGOTE_MSG_MAX	(4U << 20)	/* more than a socket buffer holds */

static pid_t	 supervisor;
static const char *zygote_app;
static struct wbuf zin, zout;	/* kept in each actor, never freed there */
static int	 nanswers;	/* in zout, not sent */

/*
 * Answers wait in zout while more requests are queued, up to this many,
 * so that the supervisor is woken once for a batch of clones.
 */
#define ZYGOTE_BATCH	8

/*
 * One message, and the descriptor it carries (or -1); 0 at EOF, -1 when
 * flags has MSG_DONTWAIT and none is queued.
 */
static ssize_t
zygote_recv(struct wbuf *in, int *fd, int flags)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec	 iov = { in->data, in->cap };
	struct msghdr	 msg = { 0 };
	struct cmsghdr	*c;
	ssize_t		 n;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	*fd = -1;
	do
		n = recvmsg(ZYGOTE_FD, &msg, MSG_CMSG_CLOEXEC | flags);
	while (n == -1 && errno == EINTR);
	if (n == -1 && errno == EAGAIN && (flags & MSG_DONTWAIT))
		return -1;
	if (n == -1)
		fatal("zygote: recvmsg");
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		fatalx("zygote: message too large");
	in->off = 0;
	in->len = (size_t)n;
	return n;
}

/* Each frame in b as one message. */
static void
zygote_send(struct wbuf *b)
{
	struct frame_hdr h;
	struct rbuf	 r;
	size_t		 start;
	ssize_t		 n;

	for (start = b->off = 0; frame_next(b, &h, &r, ZYGOTE_MSG_MAX) == 1;
	    start = b->off) {
		do
			n = send(ZYGOTE_FD, b->data + start, b->off - start,
			    MSG_NOSIGNAL);
		while (n == -1 && errno == EINTR);
		if (n != (ssize_t)(b->off - start))
			exit(0);	/* the supervisor is gone */
	}
	b->len = b->off = 0;
}

/* A string field as a C string of our own. */
static char *
zygote_str(struct rbuf *r)
{
	char	*s;

	if ((s = rbuf_cstrdup(r, SIZE_MAX)) == NULL)
		fatalx("zygote: malformed frame");
	return s;
}

static void
zygote_source(lua_State *L, struct rbuf *r)
{
	char	*path = zygote_str(r), *code = zygote_str(r);
	char	*chunk = zygote_str(r);

	if (rbuf_end(r) == -1)
		fatalx("zygote: malformed FRAME_Z_SOURCE");
	actor_precompile(L, path, code, chunk);
	free(path);
	free(code);
	free(chunk);
}

/* A clone's set-up with its socket fd, before its spec is known. */
static struct child_spec
zygote_child_spec(int fd)
{
	return (struct child_spec){ fd, -1, supervisor, 0, { 0 }, 1, -1 };
}

/* The rest of cs from its FRAME_Z_SPAWN. */
static void
zygote_spec(struct rbuf *r, struct child_spec *cs)
{
	size_t	 i;

	cs->terminal = (rbuf_u8(r) & START_F_TERMINAL) != 0;
	for (i = 0; i < CHILD_NLIMITS; i++)
		cs->limits[i] = (int64_t)rbuf_u64(r);
	if (rbuf_end(r) == -1 || cs->sock == -1)
		fatalx("zygote: malformed FRAME_Z_SPAWN");
}

/* The clone, before the actor: as an exec'd shim starts. */
static void
zygote_child(struct child_spec *cs, int spare)
{
	if ((spare ? child_finish(cs) : child_setup(cs)) == -1) {
		fprintf(stderr, "osactor-shim: actor set-up: %s\n",
		    strerror(errno));
		_exit(127);
	}
}

/* Tell the supervisor a clone's pid, or 0 and why clone failed (e). */
static void
zygote_answer(struct wbuf *out, uint16_t type, uint32_t dst, uint32_t ref,
    long pid, int e)
{
	size_t	 start;

	start = frame_begin(out, type, 0, dst, ref);
	wbuf_put_u32(out, pid == -1 ? 0 : (uint32_t)pid);
	if (pid == -1)
		wbuf_put_u32(out, (uint32_t)e);
	frame_finish(out, start);
	if (++nanswers == ZYGOTE_BATCH) {
		zygote_send(out);
		nanswers = 0;
	}
}

/* A Z_SPAWN frame as a spare reads it: header, flags, the limits. */
#define SPARE_SPEC_LEN	(FRAME_HDR_LEN + 1 + 8 * CHILD_NLIMITS)

/*
 * The spare: read the spec the supervisor writes first on the actor's
 * socket, cs->sock, not a byte further (START and messages follow), then
 * become that actor (1).  At EOF the supervisor has dropped us.
 */
static int
spare_wait(struct child_spec *cs)
{
	struct frame_hdr h;
	struct rbuf	 r;
	ssize_t		 n;

	wbuf_reserve(&zin, SPARE_SPEC_LEN);
	zin.off = zin.len = 0;
	while (zin.len < SPARE_SPEC_LEN) {
		n = recv(cs->sock, zin.data + zin.len, SPARE_SPEC_LEN - zin.len,
		    MSG_WAITALL);
		if (n == 0 || (n == -1 && errno != EINTR))
			_exit(0);
		if (n > 0)
			zin.len += (size_t)n;
	}
	if (frame_next(&zin, &h, &r, ZYGOTE_MSG_MAX) != 1 ||
	    h.type != FRAME_Z_SPAWN || zin.off != zin.len)
		fatalx("spare: malformed spec");
	zygote_spec(&r, cs);
	zygote_child(cs, 1);
	return 1;
}

/*
 * FRAME_Z_SPARE: clone ahead, for the supervisor to hand an actor to
 * later with no fork on the way; fd is the actor's socket, to wait on.
 * The spare is in its own session already, dying with the supervisor.
 * 1 in the spare once it has its actor; 0 here once the supervisor has
 * its pid.
 */
static int
zygote_spare(struct frame_hdr *h, struct rbuf *r, int fd, struct wbuf *out)
{
	struct child_spec cs = zygote_child_spec(-1);
	long		 pid;
	uint8_t		 flags = rbuf_u8(r);

	if (rbuf_end(r) == -1 || fd == -1)
		fatalx("zygote: malformed FRAME_Z_SPARE");
	pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0);
	if (pid == 0) {
		/* The supervisor must see EOF on the zygote's socket. */
		close(ZYGOTE_FD);
		if (child_session(&cs) == -1 || child_spare_fds(&cs, fd) == -1)
			_exit(127);
		setproctitle("-osactor: spare %s", zygote_app);
		prefault();
		actor_prepare((flags & START_F_SANDBOX) != 0);
		return spare_wait(&cs);
	}
	zygote_answer(out, FRAME_Z_SPARE, 0, h->ref, pid, errno);
	close(fd);
	return 0;
}

/*
 * FRAME_Z_SPAWN: 1 in the new actor, 0 in the zygote once the
 * supervisor has its pid.  A raw clone, since glibc's would make the
 * child ours; no CLONE_VM, so it is a fork with another parent.
 */
static int
zygote_spawn(struct frame_hdr *h, struct rbuf *r, int fd, struct wbuf *out)
{
	struct child_spec cs = zygote_child_spec(fd);
	long		 pid;

	zygote_spec(r, &cs);
	pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0);
	if (pid == 0) {
		zygote_child(&cs, 0);
		return 1;
	}
	zygote_answer(out, FRAME_Z_PID, h->dst, 0, pid, errno);
	close(fd);
	return 0;
}

/* 1 in a new actor; 0 to go on. */
static int
zygote_dispatch(lua_State *L, struct wbuf *in, int fd, struct wbuf *out)
{
	struct frame_hdr h;
	struct rbuf	 r;

	if (frame_next(in, &h, &r, ZYGOTE_MSG_MAX) != 1 || in->off != in->len)
		fatalx("zygote: malformed message");
	if (h.type != FRAME_Z_SPAWN && h.type != FRAME_Z_SPARE && fd != -1)
		fatalx("zygote: descriptor with frame %u", h.type);
	switch (h.type) {
	case FRAME_Z_SOURCE:
		zygote_source(L, &r);
		return 0;
	case FRAME_Z_HELLO:
		actor_precompile_done(L);
		/*
		 * Consolidate malloc's fastbins now, once: a clone's first
		 * large malloc would, writing to free chunks all over the
		 * heap it shares with us, so copying each of their pages (28
		 * us of CPU a spawn).  Serving spawns frees nothing more.
		 */
		(void)malloc_trim(0);
		prefault_init();
		frame_finish(out, frame_begin(out, FRAME_Z_HELLO, 0, 0, 0));
		zygote_send(out);
		return 0;
	case FRAME_Z_SPAWN:
		return zygote_spawn(&h, &r, fd, out);
	case FRAME_Z_SPARE:
		return zygote_spare(&h, &r, fd, out);
	default:
		fatalx("zygote: unexpected frame %u", h.type);
	}
}

/* Serve the supervisor; returns only in a new actor. */
void
zygote_main(const char *app)
{
	lua_State	*L;
	ssize_t		 n;
	int		 fd;

	zygote_app = app;
	setproctitle("-osactor: zygote %s", app);
	log_init(LOG_WARN, "zygote");
	supervisor = getppid();
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		fatal("signal");
	L = actor_base_state();
	actor_timezone();
	wbuf_reserve(&zin, ZYGOTE_MSG_MAX);
	for (;;) {
		n = zygote_recv(&zin, &fd, nanswers > 0 ? MSG_DONTWAIT : 0);
		if (n == -1) {		/* nothing queued: answer */
			zygote_send(&zout);
			nanswers = 0;
			continue;
		}
		if (n == 0)
			exit(0);
		if (zygote_dispatch(L, &zin, fd, &zout))
			return;
	}
}
