/*
 * link.c: the actor's one connection, the socket the supervisor put on
 * fd 3.  Frames going out are batched in one buffer and written when the
 * scheduler is about to sleep; frames coming in are read eagerly (all
 * that is there per wake-up) so the supervisor never waits on us.
 *
 * How many messages Lua has taken from its mailboxes rides along in a
 * TAKEN frame, so the supervisor can count what an actor that dies never
 * took.  It costs no write of its own while the actor has other frames to
 * send: one goes before the next frame begun after a take (so a reply
 * sent after taking a message tells the supervisor first) or at the end
 * of a flush.  Alone it is written only as the actor goes to sleep, once
 * per sleep, and only if the count changed.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "frame.h"
#include "log.h"
#include "proto.h"
#include "sched.h"
#include "shim.h"
#include "xmalloc.h"

#define LINK_FD		3
#define READ_CHUNK	(64U << 10)
/*
 * A sender whose frames pile up here (the supervisor stopped reading us:
 * a receiver is behind) waits in process.send from the high-water mark
 * until the queue is down to the low one, so the shim's memory is bounded
 * too, and incoming frames keep being read meanwhile.
 */
#define OUT_HIGH_WATER	(1U << 20)
#define OUT_LOW_WATER	(256U << 10)

static struct wbuf	 in, out;
static uint64_t		 taken, taken_said;	/* messages, and in TAKEN */
static struct ev_io	 link_io;
static struct task	**drain_waiters;
static size_t		 ndrain_waiters, drain_cap;

struct wbuf *
link_out(void)
{
	return &out;
}

uint64_t *
link_taken(void)
{
	return &taken;
}

/* Queue a TAKEN if Lua took messages since the last one. */
static void
link_say_taken(void)
{
	size_t	 start;

	if (taken == taken_said)
		return;
	taken_said = taken;
	start = frame_begin(&out, FRAME_TAKEN, shim.id, 0, 0);
	wbuf_put_u64(&out, taken);
	(void)frame_finish(&out, start);	/* 8 bytes: cannot fail */
}

/* Begin a frame of ours on the queue, told of any take before it. */
size_t
link_begin(uint16_t type, uint32_t dst, uint32_t ref)
{
	link_say_taken();
	return frame_begin(&out, type, shim.id, dst, ref);
}

/* Wait for fd 3 to be ready for events; the supervisor is never slow. */
static void
link_wait(short events)
{
	struct pollfd	 p = { LINK_FD, events, 0 };

	while (poll(&p, 1, -1) == -1)
		if (errno != EINTR)
			fatal("poll");
}

/*
 * Read more bytes into in: 2 filled the space (there may be more), 1 read
 * less (that was all), 0 would block, -1 EOF or error.  The socket itself
 * blocks (so link_sleep_in_recv can sleep in recv); flags says whether
 * this call may.
 */
static int
link_recv(int flags)
{
	ssize_t	 n;
	size_t	 room;

	wbuf_reserve(&in, READ_CHUNK);
	room = in.cap - in.len;
	do
		n = recv(LINK_FD, in.data + in.len, room, flags);
	while (n == -1 && errno == EINTR);
	if (n == -1 && errno == EAGAIN)
		return 0;
	if (n <= 0)
		return -1;
	in.len += (size_t)n;
	return (size_t)n == room ? 2 : 1;
}

/*
 * A spare, while it waits: the buffer its actor's first read would make.
 * Making it maps and writes pages (malloc's code and arena, the chunk
 * itself) that the spawn would otherwise wait for.
 */
void
link_reserve(void)
{
	wbuf_reserve(&in, READ_CHUNK);
}

/* At start-up, before Lua exists: wait for the START frame. */
int
link_read_start(struct wbuf *copy, struct rbuf *body)
{
	struct frame_hdr h;
	struct rbuf	 r;
	int		 rv;

	while ((rv = frame_next(&in, &h, &r, FRAME_MAX_BODY)) == 0) {
		if ((rv = link_recv(0)) == -1)
			return -1;
		if (rv == 0)	/* a socket made non-blocking after all */
			link_wait(POLLIN);
	}
	if (rv == -1 || h.type != FRAME_START)
		return -1;
	wbuf_put(copy, r.data, r.len);
	rbuf_init(body, copy->data, copy->len);
	return 0;
}

/* Let every sender waiting for the queue to drain go on. */
static void
drain_wake(void)
{
	size_t	 i;

	if (ndrain_waiters == 0 || wbuf_pending(&out) > OUT_LOW_WATER)
		return;
	for (i = 0; i < ndrain_waiters; i++) {
		lua_pushboolean(task_thread(drain_waiters[i]), 1);
		sched_wake(drain_waiters[i], 1);
	}
	ndrain_waiters = 0;
	sched_hold(-1);
}

/*
 * Past the high-water mark: 1, and the calling task is woken, with true
 * pushed, once the queue has drained; it must block (sched_block) now.
 * 0 when there is no need to wait.
 */
int
link_wait_drain(lua_State *L)
{
	struct task	*t;

	if (wbuf_pending(&out) <= OUT_HIGH_WATER)
		return 0;
	link_flush();
	if (wbuf_pending(&out) <= OUT_HIGH_WATER)
		return 0;
	t = sched_need(L);
	if (ndrain_waiters == drain_cap) {
		drain_cap = drain_cap ? drain_cap * 2 : 8;
		drain_waiters = xrealloc(drain_waiters,
		    drain_cap * sizeof(*drain_waiters));
	}
	if (ndrain_waiters == 0)
		sched_hold(1);	/* the link will wake it */
	drain_waiters[ndrain_waiters++] = t;
	return 1;
}

/* Write what can be written now; the rest waits for EPOLLOUT. */
void
link_flush(void)
{
	ssize_t	 n;

	if (wbuf_pending(&out) > 0)
		link_say_taken();	/* in the same write */
	while (wbuf_pending(&out) > 0) {
		n = send(LINK_FD, out.data + out.off, wbuf_pending(&out),
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1)
			actor_exit_now(0);	/* the supervisor is gone */
		out.off += (size_t)n;
	}
	wbuf_compact(&out);
	drain_wake();
	if (link_io.fd != -1)
		(void)ev_io_set(&shim.loop, &link_io,
		    wbuf_pending(&out) ? EPOLLIN | EPOLLOUT : EPOLLIN);
}

/*
 * The actor is about to sleep: the supervisor must know what it took,
 * should it be killed while asleep.
 */
void
link_sleep(void)
{
	if (taken == taken_said)
		return;
	link_say_taken();
	link_flush();
}

/* Write everything, waiting as needed: the last frames before exit. */
void
link_flush_all(void)
{
	for (link_flush(); wbuf_pending(&out) > 0; link_flush())
		link_wait(POLLOUT);
}

static void
link_dispatch(void)
{
	struct frame_hdr h;
	struct rbuf	 body;
	int		 rv;

	while ((rv = frame_next(&in, &h, &body, FRAME_MAX_BODY)) == 1)
		process_on_frame(shim.L, &h, &body);
	if (rv == -1)
		fatalx("%s: bad frame from the supervisor", shim.pid);
	wbuf_compact(&in);
}

/*
 * Handle what the read that gave rv brought, and read on while reads
 * fill the buffer.  After a short read epoll says when there is more:
 * no EAGAIN.
 */
static void
link_read_on(int rv)
{
	while (rv > 0) {
		link_dispatch();
		if (rv == 1)
			return;
		rv = link_recv(MSG_DONTWAIT);
	}
	if (rv == -1)
		actor_exit_now(0);	/* the supervisor is gone: so are we */
}

static void
link_io_cb(struct ev_loop *loop, struct ev_io *io, uint32_t events)
{
	if (events & EPOLLOUT)
		link_flush();
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		link_read_on(link_recv(MSG_DONTWAIT));
}

/*
 * The scheduler's sleep while the link is all that can wake the actor
 * (no timer, no other descriptor, nothing left to write): in recv itself,
 * one system call per message where epoll_wait and recv were two.
 */
static int
link_sleep_in_recv(void)
{
	int	 rv;

	if (shim.loop.nio != 1 || wbuf_pending(&out) > 0)
		return 0;
	if ((rv = link_recv(0)) == 0)
		return 0;	/* a socket made non-blocking: the loop sleeps */
	link_read_on(rv);
	return 1;
}

static void
put_opt(struct wbuf *b, const char *s)
{
	wbuf_put_cstr(b, s != NULL ? s : "");
}

/*
 * The actor's log records go to the supervisor, which alone writes the
 * log (its destination, format and SIGHUP are its business).
 */
static void
link_log(const struct log_record *r)
{
	size_t	 start;

	start = link_begin(FRAME_LOG, 0, 0);
	wbuf_put_u8(&out, (uint8_t)r->level);
	put_opt(&out, r->name);
	wbuf_put_str(&out, r->msg, r->msglen > 65536 ? 65536 : r->msglen);
	put_opt(&out, r->ftext);
	put_opt(&out, r->fjson);
	if (frame_finish(&out, start) == -1)
		out.len = start;	/* a record this large is dropped */
}

void
link_init(void)
{
	log_set_sink(link_log);
	if (ev_io_add(&shim.loop, &link_io, LINK_FD, EPOLLIN, link_io_cb,
	    NULL) == -1)
		fatal("epoll_ctl link");
	sched_set_sleep(link_sleep_in_recv);
	/* Frames that came with START are handled once Lua is ready. */
	link_dispatch();
}
