/*
 * router.c: each actor's socket.  Reads drain every frame available per
 * wake-up; frames are dispatched on their header, and bodies are checked
 * field by field with nothing left over.  Replies and deliveries queue in
 * the receiver's buffer and are written once per loop turn.  A malformed
 * frame ends the actor that sent it, never the supervisor.
 *
 * Backpressure: pipelined sends need no reply, so a fast sender could
 * fill a slow receiver's queue here without bound.  When a delivery takes
 * a receiver's queue past OUT_HIGH, the sender is stalled: it is not read
 * (its frames wait in its socket and its own shim) until the receiver's
 * queue is written down to OUT_LOW or the receiver ends.  Nothing accepted
 * is dropped, and an actor that has died is always read to its end.
 */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "osactor.h"
#include "pid.h"
#include "proto.h"
#include "xmalloc.h"

#define READ_CHUNK	(64U << 10)
#define READ_BUDGET	(1U << 20)	/* per actor per wake-up: be fair */
#define OUT_HIGH	(1U << 20)	/* a receiver's queue that stalls senders */
#define OUT_LOW		(256U << 10)	/* ... and lets them go on again */

static void	router_io(struct ev_loop *, struct ev_io *, uint32_t);
static void	router_parse(struct actor *);
static void	router_release(struct actor *);

void
router_attach(struct actor *a)
{
	if (ev_io_add(&sup.loop, &a->io, a->sock, EPOLLIN, router_io, a) == -1)
		fatal("epoll_ctl add actor socket");
}

void
router_detach(struct actor *a)
{
	router_release(a);	/* its senders' frames to it are dropped */
	if (a->sock == -1)
		return;
	ev_io_del(&sup.loop, &a->io);
	close(a->sock);
	a->sock = -1;
}

/*
 * Put a on the list written before the loop sleeps, at its end.  In
 * that order a spawn's START goes out before the reply to its caller:
 * the caller, woken first, would often take our CPU and hold the new
 * actor's start back by its turn.
 */
void
router_queue(struct actor *a)
{
	if (a->queued || a->sock == -1)
		return;
	a->queued = 1;
	a->next_flush = NULL;
	if (sup.flush == NULL)
		sup.flush_tail = &sup.flush;
	*sup.flush_tail = a;
	sup.flush_tail = &a->next_flush;
}

/*
 * A message went into a's queue: count it until it is written, and for
 * good, so that what it never takes is known when it ends.
 */
void
router_queue_msg(struct actor *a)
{
	a->queued_msgs++;
	a->delivered++;
	router_queue(a);
}

/*
 * Count off the messages among the bytes [from, to) just written.  A write
 * may stop inside a frame, so the unsent rest of the frame at the head is
 * remembered (out_left, out_msg) rather than found again by its header,
 * which compaction may already have dropped.
 */
static void
router_count_sent(struct actor *a, size_t from, size_t to)
{
	struct frame_hdr h;
	size_t		 step;

	while (from < to) {
		if (a->out_left == 0) {
			/* Frames in out were built whole, by us. */
			if (frame_hdr_decode(a->out.data + from,
			    a->out.len - from, &h, SIZE_MAX) != 1)
				fatalx("router: corrupt output queue");
			a->out_left = FRAME_HDR_LEN + (size_t)h.len;
			a->out_msg = h.type == FRAME_DELIVER ||
			    h.type == FRAME_DELIVER_JSON;
		}
		step = to - from < a->out_left ? to - from : a->out_left;
		from += step;
		a->out_left -= step;
		if (a->out_left == 0 && a->out_msg && a->queued_msgs > 0)
			a->queued_msgs--;
	}
}

/* Watch a's socket for what we want from it now. */
static int
router_events(struct actor *a)
{
	uint32_t	 ev = 0;

	if (a->io.fd == -1)
		return 0;
	if (!a->stalled_on)
		ev |= EPOLLIN;
	if (wbuf_pending(&a->out) > 0)
		ev |= EPOLLOUT;
	return ev_io_set(&sup.loop, &a->io, ev);
}

/* A delivery took dst's queue past OUT_HIGH: stop reading from. */
static void
router_stall(struct actor *from, struct actor *dst)
{
	if (from->stalled_on || from->draining || from == dst)
		return;
	from->stalled_on = 1;
	(void)idset_add(&dst->stalled, &dst->nstalled, from->id);
	(void)router_events(from);
}

/* dst's queue has room again, or dst ended: read its stalled senders. */
static void
router_release(struct actor *dst)
{
	struct actor	*s;
	uint32_t	*ids = dst->stalled;
	size_t		 i, n = dst->nstalled;

	dst->stalled = NULL;
	dst->nstalled = 0;
	for (i = 0; i < n; i++) {
		if ((s = actor_find(ids[i])) == NULL || !s->stalled_on)
			continue;
		s->stalled_on = 0;
		router_parse(s);	/* what it had sent before the stall */
		(void)router_events(s);
	}
	free(ids);
}

/* Write what a has queued; 0, or -1 when the peer is gone. */
static int
router_write(struct actor *a)
{
	ssize_t	 n;
	size_t	 from = a->out.off;

	while (wbuf_pending(&a->out) > 0) {
		n = send(a->sock, a->out.data + a->out.off,
		    wbuf_pending(&a->out), MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1) {
			/* The actor died; its reaping will clean up. */
			a->out.off = a->out.len;
			break;
		}
		a->out.off += (size_t)n;
	}
	router_count_sent(a, from, a->out.off);
	wbuf_compact(&a->out);
	if (a->nstalled > 0 && wbuf_pending(&a->out) <= OUT_LOW)
		router_release(a);
	return router_events(a);
}

void
router_flush_all(void)
{
	struct actor	*a;

	while ((a = sup.flush) != NULL) {
		sup.flush = a->next_flush;
		a->queued = 0;
		if (a->sock != -1)
			(void)router_write(a);
	}
}

/* End a with a protocol error: it is killed, and its EXIT says why. */
void
router_protocol_error(struct actor *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*what, *reason;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	xasprintf(&reason, "protocol error: %s", what);
	log_warnx("%s %s: %s", a->entry->id, a->pid, reason);
	reap_kill(a, reason);
	free(reason);
	free(what);
}

static void
reply_begin(struct actor *a, uint32_t ref, uint8_t status, size_t *start)
{
	*start = frame_begin(&a->out, FRAME_REPLY, 0, a->id, ref);
	wbuf_put_u8(&a->out, status);
}

static void
reply_end(struct actor *a, size_t start)
{
	if (frame_finish(&a->out, start) == -1)
		fatalx("reply too large");
	router_queue(a);
}

void
router_reply_error(struct actor *a, uint32_t ref, const char *kind,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	size_t	 start;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	reply_begin(a, ref, PROTO_ERROR, &start);
	wbuf_put_cstr(&a->out, kind);
	wbuf_put_cstr(&a->out, msg);
	reply_end(a, start);
	free(msg);
}

static void
reply_ok(struct actor *a, uint32_t ref, const char *str, int boolean)
{
	size_t	 start;

	if (ref == 0)
		return;
	reply_begin(a, ref, PROTO_OK, &start);
	if (str != NULL)
		wbuf_put_cstr(&a->out, str);
	if (boolean >= 0)
		wbuf_put_u8(&a->out, (uint8_t)boolean);
	reply_end(a, start);
}

/* A DELIVER to dst: sender's id and pid, the topic, the payload bytes. */
static void
deliver(struct actor *from, struct actor *dst, const char *topic,
    size_t topiclen, const void *payload, size_t paylen)
{
	size_t	 start;

	start = frame_begin(&dst->out, FRAME_DELIVER, from->id, dst->id, 0);
	wbuf_put_cstr(&dst->out, from->pid);
	wbuf_put_str(&dst->out, topic, topiclen);
	wbuf_put(&dst->out, payload, paylen);
	if (frame_finish(&dst->out, start) == -1)
		fatalx("deliver: frame too large");
	router_queue_msg(dst);
	if (wbuf_pending(&dst->out) > OUT_HIGH)
		router_stall(from, dst);
}

/*
 * The REPLY to a send by name that found dst: u8 watched (a hears
 * NAME_GONE when the name leaves dst), u32 dst's id, str the name.
 */
static void
reply_named(struct actor *a, uint32_t ref, struct actor *dst,
    const char *name, size_t len)
{
	size_t	 start;

	reply_begin(a, ref, PROTO_OK, &start);
	wbuf_put_u8(&a->out, (uint8_t)registry_watch(name, len, a->id));
	wbuf_put_u32(&a->out, dst->id);
	wbuf_put_str(&a->out, name, len);
	reply_end(a, start);
}

/*
 * str topic, then the payload: the rest of the body; name (len bytes) is
 * what dst was found by, or NULL.
 */
static int
send_to(struct actor *a, const struct frame_hdr *h, struct rbuf *r,
    struct actor *dst, const char *name, size_t len)
{
	const char	*topic;
	size_t		 topiclen, paylen;
	const void	*payload;

	if ((topic = rbuf_str(r, &topiclen)) == NULL)
		return -1;
	if (topiclen > NAME_MAX_LEN)
		return -1;
	paylen = rbuf_left(r);
	payload = rbuf_bytes(r, paylen);
	if (dst == NULL || dst->state != ACTOR_RUNNING) {
		/* With ref 0: as if dst had died right after taking it. */
		sup.dead_letters++;
		if (h->ref != 0)
			router_reply_error(a, h->ref, "NotFound",
			    "process not found");
		return 0;
	}
	deliver(a, dst, topic, topiclen, payload, paylen);
	if (h->ref != 0 && name != NULL)
		reply_named(a, h->ref, dst, name, len);
	else if (h->ref != 0)
		reply_ok(a, h->ref, NULL, h->type != FRAME_SEND ? -1 :
		    monitor_watch_sender(dst, a->id));
	return 0;
}

static int
on_send_named(struct actor *a, const struct frame_hdr *h, struct rbuf *r)
{
	const char	*name;
	size_t		 len;
	struct actor	*dst;
	uint32_t	 id;

	if ((name = rbuf_str(r, &len)) == NULL || len > NAME_MAX_LEN)
		return -1;
	if (pid_parse(name, len, &id) == 0)
		return send_to(a, h, r, actor_find(id), NULL, 0);
	if ((dst = registry_lookup(name, len)) == NULL) {
		router_reply_error(a, h->ref, "NotFound",
		    "could not resolve '%.*s' as PID or registered name",
		    (int)len, name);
		return 0;
	}
	return send_to(a, h, r, dst, name, len);
}

/* A C string copy of a body string, or NULL when it cannot be one. */
static char *
body_cstr(struct rbuf *r)
{
	return rbuf_cstrdup(r, NAME_MAX_LEN);
}

static const char *
spawn_check(const struct entry *e, const struct entry *h, const char **kind)
{
	*kind = "NotFound";
	if (e == NULL)
		return "entry not found";
	if (h == NULL)
		return "host not found";
	*kind = "Invalid";
	if (e->kind != ENTRY_PROCESS_LUA)
		return "entry is not a process.lua";
	if (h->kind != ENTRY_PROCESS_HOST && h->kind != ENTRY_TERMINAL_HOST)
		return "host is not a process.host or terminal.host";
	*kind = "Unavailable";
	if (!h->lc.auto_start)
		return "host is not running (lifecycle.auto_start is false)";
	if (sup.stopping)
		return "the app is shutting down";
	return NULL;
}

static int
on_spawn(struct actor *a, const struct frame_hdr *h, struct rbuf *r)
{
	uint8_t		 flags = rbuf_u8(r);
	char		*eid = NULL, *hid = NULL, *err = NULL;
	const char	*why, *kind;
	struct actor	*child;
	size_t		 argslen;
	const void	*args;

	if ((eid = body_cstr(r)) == NULL || (hid = body_cstr(r)) == NULL ||
	    (flags & ~(SPAWN_F_MONITOR | SPAWN_F_LINK)) != 0) {
		free(eid);
		return -1;
	}
	argslen = rbuf_left(r);
	args = rbuf_bytes(r, argslen);
	why = spawn_check(config_find(sup.app, eid), config_find(sup.app, hid),
	    &kind);
	if (why != NULL)
		router_reply_error(a, h->ref, kind, "cannot spawn '%s' on '%s': %s",
		    eid, hid, why);
	else if ((child = spawn_actor(config_find(sup.app, eid),
	    config_find(sup.app, hid), 0, args, argslen, &err)) == NULL)
		router_reply_error(a, h->ref, "Unavailable", "%s", err);
	else {
		if (flags & SPAWN_F_MONITOR)
			(void)monitor_add(child, a->id);
		if (flags & SPAWN_F_LINK)
			(void)link_add(child, a);
		/* The caller has the pid to send to: no ask on its first. */
		reply_ok(a, h->ref, child->pid,
		    monitor_watch_sender(child, a->id));
	}
	free(err);
	free(eid);
	free(hid);
	return 0;
}

static int
on_register(struct actor *a, const struct frame_hdr *h, struct rbuf *r)
{
	const char	*name, *kind, *why;
	size_t		 len;
	uint32_t	 id;
	struct actor	*owner;

	if ((name = rbuf_str(r, &len)) == NULL)
		return -1;
	id = rbuf_u32(r);
	if (rbuf_end(r) == -1)
		return -1;
	owner = id == 0 ? a : actor_find(id);
	if (owner == NULL || owner->state != ACTOR_RUNNING) {
		router_reply_error(a, h->ref, "NotFound", "process not found");
		return 0;
	}
	if (registry_add(owner, name, len, &kind, &why) == -1)
		router_reply_error(a, h->ref, kind, "%s", why);
	else
		reply_ok(a, h->ref, NULL, -1);
	return 0;
}

static int
on_unregister(struct actor *a, const struct frame_hdr *h, struct rbuf *r)
{
	const char	*name;
	size_t		 len;

	if ((name = rbuf_str(r, &len)) == NULL || rbuf_end(r) == -1)
		return -1;
	reply_ok(a, h->ref, NULL, registry_remove(a, name, len) == 0);
	return 0;
}

static int
on_lookup(struct actor *a, const struct frame_hdr *h, struct rbuf *r)
{
	const char	*name;
	size_t		 len;
	struct actor	*owner;

	if ((name = rbuf_str(r, &len)) == NULL || rbuf_end(r) == -1)
		return -1;
	if ((owner = registry_lookup(name, len)) == NULL)
		router_reply_error(a, h->ref, "NotFound", "name not registered");
	else
		reply_ok(a, h->ref, owner->pid, -1);
	return 0;
}

/*
 * The live actor a body's "str dest" names, by pid string or registered
 * name; NULL when there is none.  -1 in *bad when the body is malformed.
 */
static struct actor *
resolve_dest(struct rbuf *r, int *bad)
{
	const char	*dest;
	size_t		 len;
	uint32_t	 id;
	struct actor	*dst;

	*bad = 0;
	if ((dest = rbuf_str(r, &len)) == NULL || len > NAME_MAX_LEN) {
		*bad = -1;
		return NULL;
	}
	if (pid_parse(dest, len, &id) == 0)
		dst = actor_find(id);
	else
		dst = registry_lookup(dest, len);
	return dst != NULL && dst->state == ACTOR_RUNNING ? dst : NULL;
}

/* MONITOR, UNMONITOR, LINK, UNLINK, TERMINATE: one target, one answer. */
static int
on_target(struct actor *a, const struct frame_hdr *h, struct rbuf *r)
{
	struct actor	*dst;
	int		 bad;

	dst = resolve_dest(r, &bad);
	if (bad || rbuf_end(r) == -1)
		return -1;
	if (dst == NULL) {
		router_reply_error(a, h->ref, "NotFound", "%s",
		    h->type == FRAME_MONITOR || h->type == FRAME_UNMONITOR ?
		    "pid not registered" : "process not found");
		return 0;
	}
	if (dst == a && h->type != FRAME_TERMINATE) {
		router_reply_error(a, h->ref, "Invalid", "%s",
		    "an actor cannot monitor or link to itself");
		return 0;
	}
	switch (h->type) {
	case FRAME_MONITOR:
		if (monitor_add(dst, a->id) == -1) {
			router_reply_error(a, h->ref, "AlreadyExists", "%s",
			    "already monitoring");
			return 0;
		}
		break;
	case FRAME_UNMONITOR:
		if (monitor_remove(dst, a->id) == -1) {
			router_reply_error(a, h->ref, "NotFound", "%s",
			    "not monitoring");
			return 0;
		}
		break;
	case FRAME_LINK:
		(void)link_add(a, dst);
		break;
	case FRAME_UNLINK:
		(void)link_remove(a, dst);
		break;
	case FRAME_TERMINATE:
		reply_ok(a, h->ref, NULL, -1);
		reap_kill(dst, "process terminated");
		return 0;
	}
	reply_ok(a, h->ref, NULL, -1);
	return 0;
}

/* CANCEL: advisory; the target's events channel gets it. */
static int
on_cancel(struct actor *a, const struct frame_hdr *h, struct rbuf *r)
{
	struct actor	*dst;
	size_t		 len;
	int		 bad;

	dst = resolve_dest(r, &bad);
	if (bad)
		return -1;
	len = rbuf_left(r);
	if (len > REASON_MAX_LEN)
		return -1;
	if (dst == NULL) {
		router_reply_error(a, h->ref, "NotFound", "process not found");
		return 0;
	}
	monitor_event(dst, EVENT_CANCEL, a->pid, 0, rbuf_bytes(r, len), len);
	reply_ok(a, h->ref, NULL, -1);
	return 0;
}

/* An actor's log record: written here, with who it is from. */
static int
on_log(struct actor *a, struct rbuf *r)
{
	struct log_record lr = { 0 };
	const char	*s[4];
	size_t		 n[4], i;
	char		*c[4] = { NULL };

	lr.level = rbuf_u8(r);
	for (i = 0; i < 4; i++)
		s[i] = rbuf_str(r, &n[i]);
	if (rbuf_end(r) == -1 || lr.level < LOG_ERROR || lr.level > LOG_DEBUG)
		return -1;
	for (i = 0; i < 4; i++)
		if (i != 1)
			c[i] = xstrndup(s[i], n[i]);
	lr.entry = a->entry->id;
	lr.pid = a->pid;
	lr.name = *c[0] != '\0' ? c[0] : NULL;
	lr.msg = s[1];
	lr.msglen = n[1];
	lr.ftext = c[2];
	lr.fjson = c[3];
	log_record(&lr);
	for (i = 0; i < 4; i++)
		free(c[i]);
	return 0;
}

/*
 * TAKEN: how many messages the actor has taken so far.  Only its own
 * dead-letter count rides on it, so an odd value is believed, not fatal:
 * a program may put values of its own into its inbox.
 */
static int
on_taken(struct actor *a, struct rbuf *r)
{
	uint64_t	 n;

	n = rbuf_u64(r);
	if (rbuf_end(r) == -1)
		return -1;
	a->taken = n;
	return 0;
}

static int
on_exiting(struct actor *a, struct rbuf *r)
{
	size_t	 n;

	if (a->result.have)
		return -1;
	a->result.have = 1;
	a->result.status = rbuf_u8(r);
	if (a->result.status != PROTO_OK && a->result.status != PROTO_ERROR)
		return -1;
	n = rbuf_left(r);
	wbuf_put(&a->result.body, rbuf_bytes(r, n), n);
	return r->err ? -1 : 0;
}

/* One frame from a; -1 when it breaks the protocol. */
static int
dispatch(struct actor *a, const struct frame_hdr *h, struct rbuf *r)
{
	switch (h->type) {
	case FRAME_READY:
		if (h->len != 0 || a->ready)
			return -1;
		a->ready = 1;
		run_actor_ready(a);
		return 0;
	case FRAME_EXITING:
		return on_exiting(a, r);
	case FRAME_LOG:
		return on_log(a, r);
	case FRAME_TAKEN:
		return on_taken(a, r);
	case FRAME_SEND:
		return send_to(a, h, r, actor_find(h->dst), NULL, 0);
	case FRAME_SEND_NAMED:
		return on_send_named(a, h, r);
	case FRAME_SPAWN:
		return on_spawn(a, h, r);
	case FRAME_REGISTER:
		return on_register(a, h, r);
	case FRAME_UNREGISTER:
		return on_unregister(a, h, r);
	case FRAME_LOOKUP:
		return on_lookup(a, h, r);
	case FRAME_MONITOR:
	case FRAME_UNMONITOR:
	case FRAME_LINK:
	case FRAME_UNLINK:
	case FRAME_TERMINATE:
		return on_target(a, h, r);
	case FRAME_CANCEL:
		return on_cancel(a, h, r);
	default:
		return -1;
	}
}

/* Handle every whole frame in a's input buffer. */
static void
router_parse(struct actor *a)
{
	struct frame_hdr h;
	struct rbuf	 body;
	int		 rv;

	while (a->state == ACTOR_RUNNING && a->result.reason == NULL &&
	    !a->stalled_on) {
		rv = frame_next(&a->in, &h, &body, FRAME_MAX_SEND);
		if (rv == 0)
			break;
		if (rv == -1) {
			router_protocol_error(a, "bad frame header (%s)",
			    strerror(errno));
			return;
		}
		if (h.src != a->id && h.src != 0) {
			router_protocol_error(a, "frame claims sender %u", h.src);
			return;
		}
		if (dispatch(a, &h, &body) == -1) {
			router_protocol_error(a, "malformed frame type %u "
			    "(%u bytes)", h.type, h.len);
			return;
		}
	}
	wbuf_compact(&a->in);
}

/*
 * One read buffer serves every actor whose input holds no partial frame:
 * an idle actor keeps no input memory, and only an actor whose frame is
 * still arriving owns a buffer (the shared one, which is then replaced).
 */
static struct wbuf	 scratch;

static void
in_swap(struct actor *a)
{
	struct wbuf	 t = a->in;

	a->in = scratch;
	scratch = t;
}

/* One recv into a's input; what recv(2) returned. */
static ssize_t
router_recv(struct actor *a)
{
	int	 borrowed = 0;
	ssize_t	 n;

	if (wbuf_pending(&a->in) == 0) {
		wbuf_free(&a->in);	/* a large frame's buffer goes too */
		in_swap(a);
		borrowed = 1;
	}
	wbuf_reserve(&a->in, READ_CHUNK);
	n = recv(a->sock, a->in.data + a->in.len, a->in.cap - a->in.len, 0);
	if (n > 0) {
		a->in.len += (size_t)n;
		router_parse(a);
	}
	if (borrowed && wbuf_pending(&a->in) == 0) {
		a->in.off = a->in.len = 0;
		in_swap(a);
	}
	return n;
}

/*
 * Read what is there, up to budget bytes (0: all of it): 1 on EOF, 0
 * otherwise.  epoll is level-triggered, so what a budget leaves is read on
 * the next turn, after every other actor had its share.  Protocol errors
 * stop the reading (the actor is being killed).
 */
static int
router_read(struct actor *a, size_t budget)
{
	ssize_t	 n;
	size_t	 got = 0;

	while (a->sock != -1 && a->result.reason == NULL && !a->stalled_on &&
	    (budget == 0 || got < budget)) {
		n = router_recv(a);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return 0;
		if (n <= 0)
			return 1;
		got += (size_t)n;
		/*
		 * A short read took all there was: asking again would only
		 * say EAGAIN, a syscall per wake-up; epoll reports the rest.
		 */
		if ((size_t)n < READ_CHUNK)
			break;
	}
	return 0;
}

/* After the process is gone: take every frame it wrote before it died. */
void
router_drain(struct actor *a)
{
	a->draining = 1;
	a->stalled_on = 0;
	router_parse(a);	/* frames kept back by a stall */
	/* Unwatched after EOF (router_io): nothing more can come. */
	if (a->sock != -1 && a->io.fd != -1)
		(void)router_read(a, 0);
}

static void
router_io(struct ev_loop *loop, struct ev_io *io, uint32_t events)
{
	struct actor	*a = io->arg;

	if (events & EPOLLOUT)
		(void)router_write(a);
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		if (router_read(a, READ_BUDGET) == 1 && a->sock != -1) {
			/* EOF: stop watching; the reaper finishes the actor. */
			ev_io_del(loop, &a->io);
		}
	}
}
