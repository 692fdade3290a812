/*
 * zygote.c: osactor-shim --zygote APP, exec'd once by the supervisor with
 * a SOCK_SEQPACKET control socket on fd 3.  It builds a Lua state with
 * the standard globals, compiles every source the supervisor sends, then
 * clones an actor for each FRAME_Z_SPAWN: clone(CLONE_PARENT), so the
 * actor is the supervisor's child, not ours, and is reaped there.  The
 * clone returns from zygote_main and runs actor_main on the ready state,
 * as an exec'd shim would on a fresh one.  EOF on fd 3 ends the zygote.
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
static int	 spare_sock = -1;	/* to the spare clone, or -1 */
static pid_t	 spare_pid;

/* One message on sock, and the descriptor it carries (or -1); 0 at EOF. */
static ssize_t
zygote_recv(int sock, struct wbuf *in, int *fd)
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
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
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

static void
zygote_send(struct wbuf *b)
{
	ssize_t	 n;

	do
		n = send(ZYGOTE_FD, b->data, b->len, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)b->len)
		exit(0);		/* the supervisor is gone */
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

/* The clone's spec: a FRAME_Z_SPAWN and the descriptor it carried. */
static void
zygote_spec(struct rbuf *r, int fd, struct child_spec *cs)
{
	size_t	 i;

	*cs = (struct child_spec){ fd, -1, supervisor, 0, { 0 }, 1 };
	cs->terminal = (rbuf_u8(r) & START_F_TERMINAL) != 0;
	for (i = 0; i < CHILD_NLIMITS; i++)
		cs->limits[i] = (int64_t)rbuf_u64(r);
	if (rbuf_end(r) == -1 || fd == -1)
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

/*
 * The spare: wait on sock for the request the zygote passes on, then
 * become its actor (1).  At EOF the zygote is gone, and so are we.
 */
static int
spare_wait(int sock)
{
	struct child_spec cs;
	struct frame_hdr h;
	struct rbuf	 r;
	int		 fd;

	if (zygote_recv(sock, &zin, &fd) == 0)
		_exit(0);
	if (frame_next(&zin, &h, &r, ZYGOTE_MSG_MAX) != 1 ||
	    h.type != FRAME_Z_SPAWN)
		fatalx("spare: malformed message");
	zygote_spec(&r, fd, &cs);
	close(sock);
	zygote_child(&cs, 1);
	return 1;
}

/*
 * A clone made ahead, waiting on a socket of its own, so that the next
 * spawn does not wait for a fork: already in its own session, dying with
 * the supervisor.  1 in the spare once it has its actor; 0 here, with a
 * spare or (when the calls fail) without, and then spawns clone.
 */
static int
spare_make(void)
{
	struct child_spec cs = { -1, -1, supervisor, 0, { 0 }, 1 };
	int		 sv[2];
	long		 pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return 0;
	pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0);
	if (pid == 0) {
		/* The supervisor must see EOF on the zygote's socket. */
		close(ZYGOTE_FD);
		close(sv[0]);
		if (child_session(&cs) == -1)
			_exit(127);
		setproctitle("-osactor: spare %s", zygote_app);
		return spare_wait(sv[1]);
	}
	close(sv[1]);
	if (pid == -1)
		close(sv[0]);
	else {
		spare_sock = sv[0];
		spare_pid = (pid_t)pid;
	}
	return 0;
}

/* Pass the request in in and fd to the spare: 0, or -1 if it is gone. */
static int
spare_give(const struct wbuf *in, int fd)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec	 iov = { in->data, in->len };
	struct msghdr	 msg = { 0 };
	struct cmsghdr	*c;
	ssize_t		 n;

	memset(&cm, 0, sizeof(cm));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	do
		n = sendmsg(spare_sock, &msg, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	close(spare_sock);
	spare_sock = -1;
	return n == (ssize_t)in->len ? 0 : -1;
}

/*
 * FRAME_Z_SPAWN: 1 in the new actor, 0 in the zygote once the
 * supervisor has its pid.  The spare takes it if there is one; else a
 * raw clone, since glibc's would make the child ours; no CLONE_VM, so it
 * is a fork with another parent.  Then a spare for the next.
 */
static int
zygote_spawn(struct frame_hdr *h, struct rbuf *r, int fd, struct wbuf *in,
    struct wbuf *out)
{
	struct child_spec cs;
	size_t		 start;
	long		 pid;
	int		 e = 0;

	zygote_spec(r, fd, &cs);
	if (spare_sock != -1 && spare_give(in, fd) == 0)
		pid = spare_pid;
	else if ((pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL,
	    NULL, 0)) == 0) {
		zygote_child(&cs, 0);
		return 1;
	} else
		e = errno;
	close(fd);
	start = frame_begin(out, FRAME_Z_PID, 0, h->dst, 0);
	wbuf_put_u32(out, pid == -1 ? 0 : (uint32_t)pid);
	if (pid == -1)
		wbuf_put_u32(out, (uint32_t)e);
	frame_finish(out, start);
	zygote_send(out);
	return spare_sock == -1 ? spare_make() : 0;
}

/* 1 in a new actor; 0 to go on. */
static int
zygote_dispatch(lua_State *L, struct wbuf *in, int fd, struct wbuf *out)
{
	struct frame_hdr h;
	struct rbuf	 r;

	if (frame_next(in, &h, &r, ZYGOTE_MSG_MAX) != 1 || in->off != in->len)
		fatalx("zygote: malformed message");
	if (h.type != FRAME_Z_SPAWN && fd != -1)
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
		frame_finish(out, frame_begin(out, FRAME_Z_HELLO, 0, 0, 0));
		zygote_send(out);
		return spare_make();
	case FRAME_Z_SPAWN:
		return zygote_spawn(&h, &r, fd, in, out);
	default:
		fatalx("zygote: unexpected frame %u", h.type);
	}
}

/* Serve the supervisor; returns only in a new actor. */
void
zygote_main(const char *app)
{
	lua_State	*L;
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
		if (zygote_recv(ZYGOTE_FD, &zin, &fd) == 0)
			exit(0);
		if (zygote_dispatch(L, &zin, fd, &zout))
			return;
	}
}
