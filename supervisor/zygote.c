/*
 * zygote.c: spawns without an exec.  At start-up one osactor-shim is
 * exec'd in zygote mode (title "osactor: zygote APP") with a
 * SOCK_SEQPACKET control socket on fd 3; it is sent every process.lua
 * and library.lua source once, precompiles them in a Lua state with the
 * standard library loaded, and from then on clones actors on request:
 * clone(CLONE_PARENT), so each actor is our child, reaped like any other,
 * and none ever shares our memory (the zygote is its own exec'd program).
 *
 * A spawn creates the actor's socketpair here, sends the zygote one end
 * and answers the caller at once; the START frame and any messages wait
 * in the socket until the actor runs.  The zygote answers with the OS
 * pid.  Until then the actor is "spawning": a kill waits for the pid, and
 * a child we reap without knowing it is kept (pid, status) until the pid
 * arrives, so an actor that ends before the answer still gets its EXIT.
 *
 * If the zygote dies, actors still waiting for their pid end with an
 * EXIT error (their socket closes, so a clone it made but never reported
 * sees EOF and exits); spawns go by exec until it has been restarted, at
 * most once a second.
 */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "config.h"
#include "log.h"
#include "osactor.h"
#include "proto.h"
#include "xmalloc.h"

#define ZYGOTE_WAIT_MS		5000		/* for its start-up answer */
#define ZYGOTE_BACKOFF_NS	1000000000ULL	/* between restarts */
#define ZYGOTE_MSG_MAX		64		/* its answers are small */

struct reaped {
	pid_t	 pid;
	int	 status;
};

static struct {
	pid_t		 pid;		/* 0: not running, or reaped */
	int		 sock;		/* -1: down */
	struct ev_io	 io;
	uint64_t	 started;	/* ev_now() of the last start */
	int		 tried;
	size_t		 pending;	/* actors waiting for their pid */
	size_t		 asked;		/* spares asked for, not answered */
	struct reaped	*reaped;	/* reaped while some were waiting */
	size_t		 nreaped;
} zy = { 0, -1, { 0 }, 0, 0, 0, 0, NULL, 0 };

/*
 * Requests made during a turn of the loop, sent by zygote_flush once
 * the turn's replies are written: a clone woken by the request would
 * otherwise preempt the supervisor before it tells the spawner its pid.
 */
struct zreq {
	uint32_t	 id;		/* the actor's */
	int		 sock;		/* its end of the actor's socket */
	uint8_t		 flags;
};
static struct zreq	*zq;
static size_t		 nzq, capzq;

static void	zygote_request_exec(struct zreq *);
static void	zygote_settled(struct actor *);

/* One frame as one message; -1 with errno (EAGAIN: the zygote is busy). */
static int
zygote_send(struct wbuf *b, int fd)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec	 iov = { b->data, b->len };
	struct msghdr	 msg = { 0 };
	ssize_t		 n;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd != -1) {
		memset(&cm, 0, sizeof(cm));
		msg.msg_control = cm.buf;
		msg.msg_controllen = sizeof(cm.buf);
		CMSG_FIRSTHDR(&msg)->cmsg_level = SOL_SOCKET;
		CMSG_FIRSTHDR(&msg)->cmsg_type = SCM_RIGHTS;
		CMSG_FIRSTHDR(&msg)->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(CMSG_FIRSTHDR(&msg)), &fd, sizeof(int));
	}
	do
		n = sendmsg(zy.sock, &msg, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	return n == (ssize_t)b->len ? 0 : -1;
}

/* Every process.lua and library.lua source, one message each. */
static int
zygote_send_sources(void)
{
	struct wbuf	 b = { 0 };
	struct entry	*e;
	char		*chunk;
	size_t		 i, start;
	int		 rv = 0;

	for (i = 0; i < sup.app->nentries && rv == 0; i++) {
		e = sup.app->entries[i];
		if (e->kind != ENTRY_PROCESS_LUA && e->kind != ENTRY_LIBRARY_LUA)
			continue;
		b.len = b.off = 0;
		start = frame_begin(&b, FRAME_Z_SOURCE, 0, 0, 0);
		wbuf_put_cstr(&b, e->source_path ? e->source_path : "");
		wbuf_put_cstr(&b, e->source_code ? e->source_code : "");
		wbuf_put_cstr(&b, spawn_chunk_name(e, &chunk));
		free(chunk);
		/* One too large for a message is compiled by its actors. */
		if (frame_finish(&b, start) == 0 && zygote_send(&b, -1) == -1 &&
		    errno != EMSGSIZE)
			rv = -1;
	}
	b.len = b.off = 0;
	frame_finish(&b, frame_begin(&b, FRAME_Z_HELLO, 0, 0, 0));
	if (rv == 0)
		rv = zygote_send(&b, -1);
	wbuf_free(&b);
	return rv;
}

/* One answer into buf: its length, 0 at EOF, -1 on error or timeout. */
static ssize_t
zygote_recv(void *buf, size_t len, int wait_ms)
{
	struct pollfd	 p = { zy.sock, POLLIN, 0 };
	ssize_t		 n;

	if (wait_ms > 0) {
		while ((n = poll(&p, 1, wait_ms)) == -1 && errno == EINTR)
			;
		if (n <= 0)
			return -1;
	}
	do
		n = recv(zy.sock, buf, len, MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	return n;
}

/* The frame in an answer: its type, -1 if it is not one well-formed. */
static int
zygote_frame(const void *buf, ssize_t n, struct frame_hdr *h, struct rbuf *r)
{
	struct wbuf	 w = { (uint8_t *)(uintptr_t)buf, 0, (size_t)n,
	    (size_t)n };

	if (n <= 0 || frame_next(&w, h, r, ZYGOTE_MSG_MAX) != 1 ||
	    w.off != w.len)
		return -1;
	return h->type;
}

/* Close it down: actors waiting on it end now, with why. */
static void
zygote_down(const char *why)
{
	struct hmap_slot	*s;
	struct actor		**lost;
	size_t			 i, n = 0;

	if (zy.sock == -1)
		return;
	log_warnx("zygote (OS pid %d) %s; spawning by exec until it is "
	    "restarted", (int)zy.pid, why);
	ev_io_del(&sup.loop, &zy.io);
	close(zy.sock);
	zy.sock = -1;
	if (zy.pid > 0 && kill(zy.pid, SIGKILL) == -1 && errno != ESRCH)
		log_warnx("kill zygote: %s", strerror(errno));
	for (i = 0; i < nzq; i++)	/* not sent: not lost either */
		zygote_request_exec(&zq[i]);
	nzq = 0;
	/* Burying changes the table, so list them first. */
	lost = xcalloc(zy.pending + 1, sizeof(*lost));
	for (i = 0; i < sup.actors.cap && n < zy.pending; i++) {
		s = &sup.actors.slots[i];
		if (s->key != NULL && ((struct actor *)s->val)->spawning)
			lost[n++] = s->val;
	}
	zy.pending = 0;
	zy.asked = 0;
	zy.nreaped = 0;
	spare_forget_asked();
	for (i = 0; i < n; i++) {
		lost[i]->spawning = 0;
		reap_lost(lost[i], "spawn failed: the zygote exited");
	}
	free(lost);
}

/* A child we reaped while it was unknown, or -1. */
static int
zygote_take_reaped(pid_t pid)
{
	size_t	 i;
	int	 status;

	for (i = 0; i < zy.nreaped; i++)
		if (zy.reaped[i].pid == pid) {
			status = zy.reaped[i].status;
			zy.reaped[i] = zy.reaped[--zy.nreaped];
			return status;
		}
	return -1;
}

/* FRAME_Z_PID: the actor is that OS process now (or never will be). */
static void
zygote_pid(struct frame_hdr *h, struct rbuf *r)
{
	struct actor	*a = actor_find(h->dst);
	pid_t		 pid = (pid_t)rbuf_u32(r);
	int		 e = pid == 0 ? (int)rbuf_u32(r) : 0;

	if (rbuf_end(r) == -1 || a == NULL || !a->spawning) {
		zygote_down("sent a bad answer");
		return;
	}
	zygote_answer(a, pid, e);
}

/* The zygote's answer for a: its OS pid, or 0 and why clone failed. */
void
zygote_answer(struct actor *a, pid_t pid, int e)
{
	char	*why;
	int	 status = pid > 0 ? zygote_take_reaped(pid) : -1;

	zygote_settled(a);
	if (pid == 0) {
		xasprintf(&why, "spawn failed: clone: %s", strerror(e));
		reap_lost(a, why);
		free(why);
		return;
	}
	log_debug("spawned %s %s as OS pid %d (zygote)", a->entry->id, a->pid,
	    (int)pid);
	if (status != -1) {
		reap_late(a, pid, status);
		return;
	}
	actor_set_ospid(a, pid);
	if (a->kill_asked)
		reap_kill(a, NULL);
}

/* One fewer answer awaited. */
static void
zygote_unwait(size_t *count)
{
	/* Kept only while someone waits: a reaped pid may be reused. */
	if (--*count == 0 && zy.pending + zy.asked == 0)
		zy.nreaped = 0;
}

/* FRAME_Z_SPARE: the spare asked for as ref is that OS process. */
static void
zygote_spare(struct frame_hdr *h, struct rbuf *r)
{
	pid_t	 pid = (pid_t)rbuf_u32(r);
	int	 e = pid == 0 ? (int)rbuf_u32(r) : 0;
	int	 dead = pid > 0 ? zygote_take_reaped(pid) != -1 : 0;

	if (rbuf_end(r) == -1 || zy.asked == 0) {
		zygote_down("sent a bad answer");
		return;
	}
	zygote_unwait(&zy.asked);
	spare_answer(h->ref, pid, e);
	if (dead)
		(void)spare_reaped(pid);
}

static void
zygote_read(struct ev_loop *loop, struct ev_io *io, uint32_t events)
{
	uint8_t		 buf[ZYGOTE_MSG_MAX + FRAME_HDR_LEN];
	struct frame_hdr h;
	struct rbuf	 r;
	ssize_t		 n;

	while (zy.sock != -1) {
		if ((n = zygote_recv(buf, sizeof(buf), 0)) == -1 &&
		    errno == EAGAIN)
			return;
		if (n == 0) {
			zygote_down("exited");
			return;
		}
		switch (zygote_frame(buf, n, &h, &r)) {
		case FRAME_Z_PID:
			zygote_pid(&h, &r);
			break;
		case FRAME_Z_SPARE:
			zygote_spare(&h, &r);
			break;
		default:
			zygote_down(n == -1 ? strerror(errno) :
			    "sent a bad frame");
			return;
		}
	}
}

/*
 * The environment from, with LD_BIND_NOW=1 (in place of any other
 * value): every library's symbols are bound once, in the zygote, not
 * again in each clone, which would also copy each page of the tables it
 * writes them to (20 us of CPU a spawn).  The caller frees the array.
 */
char **
zygote_env(char *const from[])
{
	static char	 bind_now[] = "LD_BIND_NOW=1";
	char		**env;
	size_t		 n = 0, i;
	int		 found = 0;

	while (from[n] != NULL)
		n++;
	env = xcalloc(n + 2, sizeof(*env));
	for (i = 0; i < n; i++) {
		env[i] = from[i];
		if (strncmp(from[i], "LD_BIND_NOW=", 12) == 0) {
			env[i] = bind_now;
			found = 1;
		}
	}
	if (!found)
		env[n] = bind_now;
	return env;
}

/* Exec it, send the sources, wait for its HELLO; 0 or -1 (logged). */
static int
zygote_exec(void)
{
	char		 arg0[] = "osactor-shim", arg1[] = "--zygote";
	char		*argv[] = { arg0, arg1, sup.title, NULL };
	struct timeval	 tv = { ZYGOTE_WAIT_MS / 1000, 0 };
	uint8_t		 buf[ZYGOTE_MSG_MAX + FRAME_HDR_LEN];
	struct frame_hdr h;
	struct rbuf	 r;
	char		**env;
	int		 sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	/* Terminal-like: the zygote's stdio is ours, its actors set theirs. */
	env = zygote_env(environ);
	zy.pid = spawn_process(sv[1], 1, NULL, argv, env);
	free(env);
	close(sv[1]);
	zy.sock = sv[0];
	if (zy.pid == -1) {
		zy.pid = 0;
		return -1;
	}
	/* A zygote that stops reading must not stop us. */
	if (setsockopt(zy.sock, SOL_SOCKET, SO_SNDTIMEO, &tv,
	    sizeof(tv)) == -1 || zygote_send_sources() == -1 ||
	    zygote_frame(buf, zygote_recv(buf, sizeof(buf), ZYGOTE_WAIT_MS),
	    &h, &r) != FRAME_Z_HELLO ||
	    fcntl(zy.sock, F_SETFL, O_NONBLOCK) == -1 ||
	    ev_io_add(&sup.loop, &zy.io, zy.sock, EPOLLIN, zygote_read,
	    NULL) == -1)
		return -1;
	return 0;
}

/* Start (or restart) the zygote; spawns use exec while it is down. */
void
zygote_start(void)
{
	int	 e;

	if (sup.spawn_exec || zy.sock != -1)
		return;
	zy.started = ev_now();
	zy.tried = 1;
	if (zygote_exec() == 0) {
		log_debug("zygote started as OS pid %d", (int)zy.pid);
		return;
	}
	e = errno;
	if (zy.sock != -1) {
		close(zy.sock);
		zy.sock = -1;
	}
	if (zy.pid > 0)
		(void)kill(zy.pid, SIGKILL);	/* reaped as not an actor */
	log_warnx("zygote did not start (%s); spawning by exec",
	    strerror(e));
}

/* a's OS pid is on its way: until then it is spawning. */
void
zygote_expect(struct actor *a)
{
	a->spawning = 1;
	zy.pending++;
}

/* a's OS pid is known, or will never come from the zygote. */
static void
zygote_settled(struct actor *a)
{
	a->spawning = 0;
	zygote_unwait(&zy.pending);
}

/*
 * Ask the zygote for a's process, sock its end of a's socket, at the end
 * of this turn: 0 (a is spawning, sock the zygote's to send and close),
 * -1 to spawn by exec instead.
 */
int
zygote_spawn(struct actor *a, int sock, uint8_t flags)
{
	if (zy.sock == -1 && zy.tried &&
	    ev_now() - zy.started >= ZYGOTE_BACKOFF_NS)
		zygote_start();
	if (zy.sock == -1)
		return -1;
	if (nzq == capzq) {
		capzq = capzq ? capzq * 2 : 16;
		zq = xrealloc(zq, capzq * sizeof(*zq));
	}
	zq[nzq++] = (struct zreq){ a->id, sock, flags };
	zygote_expect(a);
	return 0;
}

/* The FRAME_Z_SPAWN for a, started with flags, into b. */
void
zygote_put_spawn(struct wbuf *b, struct actor *a, uint8_t flags)
{
	int64_t		 lim[CHILD_NLIMITS];
	size_t		 start, i;

	spawn_limits(&a->host->limits, lim);
	start = frame_begin(b, FRAME_Z_SPAWN, 0, a->id, 0);
	wbuf_put_u8(b, flags);
	for (i = 0; i < CHILD_NLIMITS; i++)
		wbuf_put_u64(b, (uint64_t)lim[i]);
	frame_finish(b, start);
}

static int
zygote_send_spawn(struct actor *a, int sock, uint8_t flags)
{
	struct wbuf	 b = { 0 };
	int		 rv;

	zygote_put_spawn(&b, a, flags);
	rv = zygote_send(&b, sock);
	wbuf_free(&b);
	return rv;
}

/* Ask for a spare waiting on sock, answered with ref token: 0 or -1. */
int
zygote_ask_spare(int sock, uint32_t token, uint8_t flags)
{
	struct wbuf	 b = { 0 };
	size_t		 start;
	int		 rv;

	if (zy.sock == -1)
		return -1;
	start = frame_begin(&b, FRAME_Z_SPARE, 0, 0, token);
	wbuf_put_u8(&b, flags);
	frame_finish(&b, start);
	if ((rv = zygote_send(&b, sock)) == 0)
		zy.asked++;
	wbuf_free(&b);
	return rv;
}

/* A request that will not reach the zygote: exec a's shim after all. */
static void
zygote_request_exec(struct zreq *q)
{
	struct actor	*a = actor_find(q->id);
	char		*why;

	if (a != NULL && a->spawning) {
		zygote_settled(a);
		if (spawn_exec(a, q->sock, (q->flags & START_F_TERMINAL) != 0)
		    == -1) {
			spawn_exec_failed(&why);
			reap_lost(a, why);
			free(why);
		} else if (a->kill_asked)
			reap_kill(a, NULL);
	}
	close(q->sock);
}

/* Send the turn's requests; those it cannot are spawned by exec. */
void
zygote_flush(void)
{
	struct actor	*a;
	size_t		 i;
	int		 e = 0;

	for (i = 0; i < nzq; i++) {
		a = actor_find(zq[i].id);
		if (e == 0 && a != NULL && a->spawning &&
		    zygote_send_spawn(a, zq[i].sock, zq[i].flags) == -1)
			e = errno;
		if (e != 0)
			zygote_request_exec(&zq[i]);
		else
			close(zq[i].sock);
	}
	nzq = 0;
	if (e != 0 && e != EAGAIN)
		zygote_down(strerror(e));
	spare_fill();
}

/*
 * A child nobody claims: the zygote, a spare, or one whose pid is on its
 * way (an actor's or a spare's).
 */
int
zygote_reaped(pid_t pid, int status)
{
	if (pid == zy.pid) {
		zy.pid = 0;
		zygote_down("exited");
		return 1;
	}
	if (spare_reaped(pid))
		return 1;
	if (zy.pending + zy.asked == 0)
		return 0;
	zy.reaped = xrealloc(zy.reaped, (zy.nreaped + 1) *
	    sizeof(*zy.reaped));
	zy.reaped[zy.nreaped].pid = pid;
	zy.reaped[zy.nreaped++].status = status;
	return 1;
}

/* At exit: close it, and wait, so no child outlives osactor. */
void
zygote_stop(void)
{
	pid_t	 pid = zy.pid;

	if (zy.sock != -1) {
		ev_io_del(&sup.loop, &zy.io);
		close(zy.sock);
		zy.sock = -1;
	}
	zy.pid = 0;
	if (pid > 0 && kill(pid, SIGKILL) == 0)
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
	spare_stop();
	free(zy.reaped);
	zy.reaped = NULL;
	zy.nreaped = 0;
}
