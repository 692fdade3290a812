/*
 * mod_process.c: the `process` module (API.md section 3) and the frames
 * from the supervisor that answer it.  A call that needs the supervisor
 * writes a request frame with a fresh ref and suspends only its own
 * coroutine; the REPLY with that ref wakes it with the results.
 * Messages and events go into the inbox and events channels, which exist
 * from the start so nothing that arrives before inbox() is called is lost.
 *
 * process.send to a pid is pipelined: once the supervisor has said it
 * will tell us when that actor ends (peers.c), a send is written with no
 * ref and returns true at once; frames still leave in order, so a later
 * request stays behind it.  So is a send by a name the supervisor said
 * it will tell us of (NAME_GONE) when it leaves the actor it found: the
 * send goes to that actor's id.  The first send to a pid or by a name,
 * and one to a pid or by a name that is gone, ask and wait, so their
 * errors are exact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "frame.h"
#include "mod_channel.h"
#include "mod_errors.h"
#include "pid.h"
#include "proto.h"
#include "sched.h"
#include "shim.h"
#include "value.h"
#include "xmalloc.h"

/* Not on the wire: exec is spawn_monitored whose EXIT goes to the caller. */
#define SPAWN_F_EXEC	0x80

/* What a REPLY answers, so it is turned into the right Lua results. */
enum request_kind {
	REQ_SEND,	/* true */
	REQ_SEND_PID,	/* true; u8 watched: later sends need no reply */
	REQ_SEND_NAME,	/* true; u8 watched, u32 id, str name: the same */
	REQ_SPAWN,	/* pid string */
	REQ_EXEC,	/* pid string, then the child's EXIT wakes the task */
	REQ_REGISTER,	/* true */
	REQ_UNREGISTER,	/* boolean */
	REQ_LOOKUP,	/* pid string */
};

struct pending {
	uint32_t		 ref;
	struct task		*task;
	enum request_kind	 kind;
	uint32_t		 dst;	/* REQ_SEND_PID: the actor id */
};

static struct pending	*pending;
static size_t		 npending, cappending;
static uint32_t		 next_ref;	/* of the last request */
static int		 inbox_ref = LUA_NOREF, events_ref = LUA_NOREF;
static int		 events_opened;
static int		 trap_links;

/* process.exec callers waiting for their child's EXIT. */
struct exec_wait {
	char		*pid;
	struct task	*task;
};
static struct exec_wait	*execs;
static size_t		 nexecs;

/* process.listen subscriptions, in the order they were made. */
struct listener {
	char		*pattern;
	int		 chan_ref;
	int		 message;	/* deliver Message objects, not values */
};
static struct listener	*listeners;
static size_t		 nlisteners;

static void
pending_add(uint32_t ref, struct task *t, enum request_kind kind,
    uint32_t dst)
{
	if (npending == cappending) {
		cappending = cappending ? cappending * 2 : 8;
		pending = xrealloc(pending, cappending * sizeof(*pending));
	}
	pending[npending++] = (struct pending){ ref, t, kind, dst };
}

static int
pending_take(uint32_t ref, struct pending *out)
{
	size_t	 i;

	for (i = 0; i < npending; i++) {
		if (pending[i].ref != ref)
			continue;
		*out = pending[i];
		pending[i] = pending[--npending];
		return 0;
	}
	return -1;
}

/*
 * Names, topics and ids longer than the wire allows are the caller's
 * error, answered here: the supervisor would take them as a broken frame.
 */
static const char *
check_name(lua_State *L, int arg, size_t *len)
{
	const char	*s = luaL_checklstring(L, arg, len);

	if (*len > NAME_MAX_LEN)
		luaL_argerror(L, arg, lua_pushfstring(L,
		    "longer than %d bytes", NAME_MAX_LEN));
	return s;
}

/* A request frame with a fresh ref; returns where it starts. */
static size_t
request_begin(uint16_t type, uint32_t dst, uint32_t *ref)
{
	if (++next_ref == 0)
		next_ref = 1;
	*ref = next_ref;
	return link_begin(type, dst, *ref);
}

/* Finish the frame begun at start; a Lua error when it is too large. */
static void
request_finish(lua_State *L, size_t start, const char *fn)
{
	struct wbuf	*b = link_out();

	/* Past FRAME_MAX_SEND the supervisor would refuse it: take it back. */
	if (b->len - start > FRAME_HDR_LEN + FRAME_MAX_SEND) {
		b->len = start;
		luaL_error(L, "%s: message larger than %u bytes", fn,
		    FRAME_MAX_SEND);
	}
	(void)frame_finish(b, start);	/* within FRAME_MAX_BODY: cannot fail */
}

/* Finish the request frame begun at start, then wait for its REPLY. */
static int
request_wait(lua_State *L, size_t start, uint32_t ref, struct task *t,
    enum request_kind kind, const char *fn)
{
	request_finish(L, start, fn);
	pending_add(ref, t, kind, 0);
	return sched_block(L);
}

/* Append values first..top as a sequence; a Lua error when one can't go. */
static void
encode_args(lua_State *L, int first, size_t start, const char *fn)
{
	struct wbuf	*b = link_out();
	char		 err[256];
	int		 n = lua_gettop(L) - first + 1;

	if (n < 0)
		n = 0;
	if (value_encode_args(L, first, n, b, err, sizeof(err)) == -1) {
		b->len = start;
		luaL_error(L, "%s: %s", fn, err);
	}
}

static int
proc_send(lua_State *L)
{
	size_t		 dlen, tlen, start;
	const char	*dest = check_name(L, 1, &dlen);
	const char	*topic = check_name(L, 2, &tlen);
	struct task	*t = sched_need(L);
	uint32_t	 id = 0, ref = 0;
	int		 by_name;

	if (tlen > 0 && topic[0] == '@')
		return errors_return(L, ERR_INVALID,
		    "topic must not start with '@'");
	/* Id 0 is no actor's: the supervisor answers for it, as for names. */
	by_name = pid_parse(dest, dlen, &id) == -1 || id == 0;
	if (by_name)
		id = peers_name(dest, dlen);	/* 0: not known */
	if (id != 0 && (by_name || peers_has(id)))
		start = link_begin(FRAME_SEND, id, 0);
	else if (by_name) {
		start = request_begin(FRAME_SEND_NAMED, 0, &ref);
		wbuf_put_str(link_out(), dest, dlen);
	} else
		start = request_begin(FRAME_SEND, id, &ref);
	wbuf_put_str(link_out(), topic, tlen);
	encode_args(L, 3, start, "process.send");
	request_finish(L, start, "process.send");
	if (ref == 0) {		/* pipelined: no reply comes */
		if (link_wait_drain(L))
			return sched_block(L);
		lua_pushboolean(L, 1);
		return 1;
	}
	pending_add(ref, t, by_name ? REQ_SEND_NAME : REQ_SEND_PID, id);
	return sched_block(L);
}

static int
spawn_with(lua_State *L, uint8_t flags, const char *fn)
{
	size_t		 elen, hlen, start;
	const char	*entry = check_name(L, 1, &elen);
	const char	*host = check_name(L, 2, &hlen);
	struct task	*t = sched_need(L);
	uint32_t	 ref;

	start = request_begin(FRAME_SPAWN, 0, &ref);
	wbuf_put_u8(link_out(), flags & ~SPAWN_F_EXEC);
	wbuf_put_str(link_out(), entry, elen);
	wbuf_put_str(link_out(), host, hlen);
	encode_args(L, 3, start, fn);
	return request_wait(L, start, ref, t,
	    (flags & SPAWN_F_EXEC) ? REQ_EXEC : REQ_SPAWN, fn);
}

static int
proc_spawn(lua_State *L)
{
	return spawn_with(L, 0, "process.spawn");
}

static int
proc_spawn_monitored(lua_State *L)
{
	return spawn_with(L, SPAWN_F_MONITOR, "process.spawn_monitored");
}

static int
proc_spawn_linked(lua_State *L)
{
	return spawn_with(L, SPAWN_F_LINK, "process.spawn_linked");
}

static int
proc_spawn_linked_monitored(lua_State *L)
{
	return spawn_with(L, SPAWN_F_LINK | SPAWN_F_MONITOR,
	    "process.spawn_linked_monitored");
}

/* Spawn, then wait for the child's result: value, or nil and its error. */
static int
proc_exec(lua_State *L)
{
	return spawn_with(L, SPAWN_F_MONITOR | SPAWN_F_EXEC, "process.exec");
}

/* One target by pid or name, answered with true or nil, err. */
static int
target_request(lua_State *L, uint16_t type, const char *fn)
{
	size_t		 dlen, start, rlen = 0;
	const char	*dest = check_name(L, 1, &dlen), *reason = NULL;
	struct task	*t = sched_need(L);
	uint32_t	 ref;

	/* Every argument is checked before the frame is begun. */
	if (type == FRAME_CANCEL &&
	    (reason = luaL_optlstring(L, 2, "", &rlen)) != NULL &&
	    rlen > REASON_MAX_LEN)
		luaL_argerror(L, 2, "reason longer than 65536 bytes");
	start = request_begin(type, 0, &ref);
	wbuf_put_str(link_out(), dest, dlen);
	if (reason != NULL)
		wbuf_put(link_out(), reason, rlen);	/* to the body's end */
	return request_wait(L, start, ref, t, REQ_SEND, fn);
}

static int
proc_monitor(lua_State *L)
{
	return target_request(L, FRAME_MONITOR, "process.monitor");
}

static int
proc_unmonitor(lua_State *L)
{
	return target_request(L, FRAME_UNMONITOR, "process.unmonitor");
}

static int
proc_link(lua_State *L)
{
	return target_request(L, FRAME_LINK, "process.link");
}

static int
proc_unlink(lua_State *L)
{
	return target_request(L, FRAME_UNLINK, "process.unlink");
}

static int
proc_terminate(lua_State *L)
{
	return target_request(L, FRAME_TERMINATE, "process.terminate");
}

static int
proc_cancel(lua_State *L)
{
	return target_request(L, FRAME_CANCEL, "process.cancel");
}

static int
proc_get_options(lua_State *L)
{
	lua_createtable(L, 0, 1);
	lua_pushboolean(L, trap_links);
	lua_setfield(L, -2, "trap_links");
	return 1;
}

/* Only trap_links exists; anything else is refused, and nothing changes. */
static int
proc_set_options(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, 1) != 0) {
		if (lua_type(L, -2) != LUA_TSTRING ||
		    strcmp(lua_tostring(L, -2), "trap_links") != 0) {
			lua_pushboolean(L, 0);
			errors_push(L, ERR_INVALID, "unknown option");
			return 2;
		}
		if (!lua_isboolean(L, -1)) {
			lua_pushboolean(L, 0);
			errors_push(L, ERR_INVALID,
			    "trap_links must be a boolean");
			return 2;
		}
		lua_pop(L, 1);
	}
	if (lua_getfield(L, 1, "trap_links") == LUA_TBOOLEAN)
		trap_links = lua_toboolean(L, -1);
	lua_pushboolean(L, 1);
	return 1;
}

/* process.listen(topic, {message = bool}?): a channel that takes matches. */
static int
proc_listen(lua_State *L)
{
	const char	*topic = luaL_checkstring(L, 1);
	int		 message = 0;

	if (!lua_isnoneornil(L, 2)) {
		luaL_checktype(L, 2, LUA_TTABLE);
		lua_getfield(L, 2, "message");
		message = lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	listeners = xrealloc(listeners, (nlisteners + 1) * sizeof(*listeners));
	chan_new(L, 0, 1);
	chan_count_taken(L, -1, link_taken());
	lua_pushvalue(L, -1);
	listeners[nlisteners].chan_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	listeners[nlisteners].pattern = xstrdup(topic);
	listeners[nlisteners++].message = message;
	return 1;
}

static int
proc_unlisten(lua_State *L)
{
	size_t	 i;

	for (i = 0; i < nlisteners; i++) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, listeners[i].chan_ref);
		if (!lua_rawequal(L, -1, 1)) {
			lua_pop(L, 1);
			continue;
		}
		chan_close(L, -1);
		luaL_unref(L, LUA_REGISTRYINDEX, listeners[i].chan_ref);
		free(listeners[i].pattern);
		memmove(&listeners[i], &listeners[i + 1],
		    (nlisteners - i - 1) * sizeof(*listeners));
		nlisteners--;
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_pushboolean(L, 0);
	return 1;
}

static int
proc_pid(lua_State *L)
{
	lua_pushstring(L, shim.pid);
	return 1;
}

static int
proc_id(lua_State *L)
{
	lua_pushstring(L, shim.entry);
	return 1;
}

static int
proc_inbox(lua_State *L)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, inbox_ref);
	return 1;
}

static int
proc_events(lua_State *L)
{
	events_opened = 1;
	lua_rawgeti(L, LUA_REGISTRYINDEX, events_ref);
	return 1;
}

static int
reg_register(lua_State *L)
{
	size_t		 nlen, plen, start;
	const char	*name = check_name(L, 1, &nlen);
	const char	*pid = luaL_optlstring(L, 2, NULL, &plen);
	struct task	*t = sched_need(L);
	uint32_t	 id = 0, ref;

	if (pid != NULL && pid_parse(pid, plen, &id) == -1)
		return errors_return(L, ERR_INVALID, "invalid pid '%s'", pid);
	start = request_begin(FRAME_REGISTER, 0, &ref);
	wbuf_put_str(link_out(), name, nlen);
	wbuf_put_u32(link_out(), id);
	return request_wait(L, start, ref, t, REQ_REGISTER,
	    "process.registry.register");
}

static int
reg_by_name(lua_State *L, uint16_t type, enum request_kind kind,
    const char *fn)
{
	size_t		 nlen, start;
	const char	*name = check_name(L, 1, &nlen);
	struct task	*t = sched_need(L);
	uint32_t	 ref;

	start = request_begin(type, 0, &ref);
	wbuf_put_str(link_out(), name, nlen);
	return request_wait(L, start, ref, t, kind, fn);
}

static int
reg_lookup(lua_State *L)
{
	return reg_by_name(L, FRAME_LOOKUP, REQ_LOOKUP,
	    "process.registry.lookup");
}

static int
reg_unregister(lua_State *L)
{
	return reg_by_name(L, FRAME_UNREGISTER, REQ_UNREGISTER,
	    "process.registry.unregister");
}

static const luaL_Reg process_funcs[] = {
	{ "send", proc_send },
	{ "spawn", proc_spawn },
	{ "spawn_monitored", proc_spawn_monitored },
	{ "spawn_linked", proc_spawn_linked },
	{ "spawn_linked_monitored", proc_spawn_linked_monitored },
	{ "exec", proc_exec },
	{ "monitor", proc_monitor },
	{ "unmonitor", proc_unmonitor },
	{ "link", proc_link },
	{ "unlink", proc_unlink },
	{ "terminate", proc_terminate },
	{ "cancel", proc_cancel },
	{ "get_options", proc_get_options },
	{ "set_options", proc_set_options },
	{ "listen", proc_listen },
	{ "unlisten", proc_unlisten },
	{ "pid", proc_pid },
	{ "id", proc_id },
	{ "inbox", proc_inbox },
	{ "events", proc_events },
	{ NULL, NULL }
};

static const luaL_Reg registry_funcs[] = {
	{ "register", reg_register },
	{ "lookup", reg_lookup },
	{ "unregister", reg_unregister },
	{ NULL, NULL }
};

int
luaopen_process(lua_State *L)
{
	luaL_newlib(L, process_funcs);
	luaL_newlib(L, registry_funcs);
	lua_setfield(L, -2, "registry");
	lua_createtable(L, 0, 3);
	lua_pushliteral(L, "pid.exit");
	lua_setfield(L, -2, "EXIT");
	lua_pushliteral(L, "pid.cancel");
	lua_setfield(L, -2, "CANCEL");
	lua_pushliteral(L, "pid.link.down");
	lua_setfield(L, -2, "LINK_DOWN");
	lua_setfield(L, -2, "event");
	return 1;
}

/*
 * The deadlock rule: with every task waiting and no timer left, only a
 * reply, an exec's EXIT or a message to a channel someone receives on can
 * still wake the actor.
 */
static int
process_can_wake(void)
{
	lua_State	*L = sched_state();
	size_t		 i;
	int		 yes = npending > 0 || nexecs > 0;

	for (i = 0; !yes && i <= nlisteners + 1; i++) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, i == nlisteners ? inbox_ref :
		    i == nlisteners + 1 ? events_ref : listeners[i].chan_ref);
		yes = chan_has_receivers(L, -1);
		lua_pop(L, 1);
	}
	return yes;
}

/* The mailboxes exist before any Lua runs: early messages are kept. */
void
process_init(lua_State *L)
{
	chan_new(L, 0, 1);
	chan_count_taken(L, -1, link_taken());
	inbox_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	chan_new(L, 0, 1);
	events_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	message_init(L);
	sched_set_waker(process_can_wake);
}

/* Pop the value on top of L into the channel anchored at ref. */
static void
mailbox_put(lua_State *L, int ref)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	lua_insert(L, -2);
	chan_push_own(L, -2);
	lua_pop(L, 1);
}

static void
on_name_gone(struct rbuf *r)
{
	const char	*name;
	size_t		 len;

	if ((name = rbuf_str(r, &len)) == NULL || rbuf_left(r) != 0)
		fatalx("%s: malformed name gone", shim.pid);
	peers_name_del(name, len);
}

/* A send by name found an actor: keep the name's id if it is watched. */
static void
reply_named(struct rbuf *r)
{
	uint8_t		 watched = rbuf_u8(r);
	uint32_t	 id = rbuf_u32(r);
	const char	*name;
	size_t		 len;

	if ((name = rbuf_str(r, &len)) == NULL || id == 0)
		fatalx("%s: malformed reply", shim.pid);
	if (watched == 1)
		peers_name_add(name, len, id);
}

/* A spawn's reply: when watched, sends to the child need no ref. */
static void
spawn_watched(const char *pid, size_t len, uint8_t watched)
{
	uint32_t	 id;

	if (watched == 1 && pid_parse(pid, len, &id) == 0 && id != 0)
		peers_add(id);
}

/* Push the results of a REPLY onto the waiting coroutine; how many. */
static int
reply_results(lua_State *co, const struct pending *p, struct rbuf *r)
{
	const char	*s, *kind;
	size_t		 n, klen;

	if (rbuf_u8(r) == PROTO_ERROR) {
		kind = rbuf_str(r, &klen);
		s = rbuf_str(r, &n);
		if (kind == NULL || s == NULL)
			fatalx("%s: malformed reply", shim.pid);
		lua_pushnil(co);
		errors_push_full(co, kind, klen, s, n, 0);
		return 2;
	}
	switch (p->kind) {
	case REQ_SEND_NAME:
		reply_named(r);
		lua_pushboolean(co, 1);
		return 1;
	case REQ_SEND_PID:
		if (rbuf_u8(r) == 1)
			peers_add(p->dst);
		/* FALLTHROUGH */
	case REQ_SEND:
	case REQ_REGISTER:
		lua_pushboolean(co, 1);
		return 1;
	case REQ_UNREGISTER:
		lua_pushboolean(co, rbuf_u8(r));
		return 1;
	case REQ_SPAWN:
	case REQ_LOOKUP:
	case REQ_EXEC:
		if ((s = rbuf_str(r, &n)) == NULL)
			fatalx("%s: malformed reply", shim.pid);
		if (p->kind != REQ_LOOKUP)
			spawn_watched(s, n, rbuf_u8(r));
		if (rbuf_end(r) == -1)
			fatalx("%s: malformed reply", shim.pid);
		lua_pushlstring(co, s, n);
		return 1;
	}
	return 0;
}

static void
on_reply(const struct frame_hdr *h, struct rbuf *r)
{
	struct pending	 p;
	lua_State	*co;
	int		 n;

	if (pending_take(h->ref, &p) == -1)
		fatalx("%s: reply to unknown request %u", shim.pid, h->ref);
	co = task_thread(p.task);
	luaL_checkstack(co, 4, "reply");
	n = reply_results(co, &p, r);
	if (p.kind == REQ_EXEC && n == 1) {
		/* Spawned: now wait for the child's EXIT. */
		execs = xrealloc(execs, (nexecs + 1) * sizeof(*execs));
		execs[nexecs].pid = xstrdup(lua_tostring(co, -1));
		execs[nexecs++].task = p.task;
		lua_pop(co, 1);
		return;
	}
	sched_wake(p.task, n);
}

/* Shell-style: '*' any run of bytes, '?' any one byte. */
static int
topic_match(const char *pat, const char *s, size_t n)
{
	if (*pat == '\0')
		return n == 0;
	if (*pat == '*')
		return topic_match(pat + 1, s, n) ||
		    (n > 0 && topic_match(pat, s + 1, n - 1));
	return n > 0 && (*pat == '?' || *pat == *s) &&
	    topic_match(pat + 1, s + 1, n - 1);
}

/* The first listener for topic, or -1: it takes the message, not the inbox. */
static int
listener_for(const char *topic, size_t tlen)
{
	size_t	 i;

	for (i = 0; i < nlisteners; i++)
		if (topic_match(listeners[i].pattern, topic, tlen))
			return (int)i;
	return -1;
}

/* The Message on top goes to the first listener for topic, or the inbox. */
static void
deliver_message(lua_State *L, const char *topic, size_t tlen)
{
	int	 l;

	if ((l = listener_for(topic, tlen)) == -1) {
		mailbox_put(L, inbox_ref);
		return;
	}
	if (!listeners[l].message)
		message_data(L, -1);	/* the raw value instead */
	mailbox_put(L, listeners[l].chan_ref);
}

static void
on_deliver(lua_State *L, struct rbuf *r)
{
	const char	*from, *topic;
	size_t		 flen, tlen, plen;
	const void	*payload;
	char		 err[256];

	from = rbuf_str(r, &flen);
	topic = rbuf_str(r, &tlen);
	plen = rbuf_left(r);
	payload = rbuf_bytes(r, plen);
	if (r->err)
		fatalx("%s: malformed delivery", shim.pid);
	if (message_push(L, from, flen, topic, tlen, payload, plen, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "%s: message from %.*s dropped: %s\n",
		    shim.pid, (int)flen, from, err);
		return;
	}
	deliver_message(L, topic, tlen);
}

/* From `osactor send`: the payload is JSON text, one value. */
static void
on_deliver_json(lua_State *L, struct rbuf *r)
{
	const char	*from, *topic, *json;
	size_t		 flen, tlen, jlen;
	char		 err[256];

	from = rbuf_str(r, &flen);
	topic = rbuf_str(r, &tlen);
	jlen = rbuf_left(r);
	json = rbuf_bytes(r, jlen);
	if (r->err)
		fatalx("%s: malformed delivery", shim.pid);
	if (message_push_json(L, from, flen, topic, tlen, json, jlen, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "%s: message from %.*s dropped: %s\n",
		    shim.pid, (int)flen, from, err);
		return;
	}
	deliver_message(L, topic, tlen);
}

/*
 * The error of an error exit: the message, or after a NUL the actor's
 * own error object and its details (see error_body in actor.c).  Bytes
 * after the NUL that do not decode (the supervisor cuts long reasons)
 * leave the message alone, of kind "".
 */
static void
push_exit_error(lua_State *L, const char *p, size_t n)
{
	const char	*nul = memchr(p, '\0', n);
	size_t		 mlen = nul != NULL ? (size_t)(nul - p) : n;
	char		 err[256];
	int		 nv;

	if (nul != NULL && value_decode(L, nul + 1, n - mlen - 1, &nv, err,
	    sizeof(err)) == 0) {
		if (nv >= 1 && nv <= 2 && errors_is_error(L, -nv)) {
			if (nv == 2)
				errors_set_details(L, -2);
			return;
		}
		lua_pop(L, nv);
	}
	errors_push_full(L, "", 0, p, mlen, 0);
}

/* result = {value = v} or {error = err} from an EXIT's status and bytes. */
static void
push_exit_result(lua_State *L, uint8_t status, struct rbuf *r)
{
	size_t	 n = rbuf_left(r);
	const char *p = rbuf_bytes(r, n);
	char	 err[256];
	int	 nv;

	lua_createtable(L, 0, 1);
	if (status == PROTO_ERROR) {
		push_exit_error(L, p, n);
		lua_setfield(L, -2, "error");
		return;
	}
	if (value_decode(L, p, n, &nv, err, sizeof(err)) == -1) {
		errors_push(L, ERR_INTERNAL, err);
		lua_setfield(L, -2, "error");
		return;
	}
	if (nv == 0)
		return;
	lua_pop(L, nv - 1);
	lua_setfield(L, -2, "value");
}

/* An exec's child ended: wake its caller with the value or nil, err. */
static int
exec_done(lua_State *L, const char *from, size_t flen, int result)
{
	struct exec_wait w;
	lua_State	*co;
	size_t		 i;
	int		 n;

	for (i = 0; i < nexecs; i++)
		if (strlen(execs[i].pid) == flen &&
		    memcmp(execs[i].pid, from, flen) == 0)
			break;
	if (i == nexecs)
		return 0;
	w = execs[i];
	execs[i] = execs[--nexecs];
	co = task_thread(w.task);
	luaL_checkstack(co, 3, "exec");
	n = lua_getfield(L, result, "error") != LUA_TNIL ? 2 : 1;
	if (n == 2) {
		lua_pushnil(co);
		lua_xmove(L, co, 1);
	} else {
		lua_pop(L, 1);
		lua_getfield(L, result, "value");
		lua_xmove(L, co, 1);
	}
	free(w.pid);
	sched_wake(w.task, n);
	return 1;
}

static void
on_event(lua_State *L, struct rbuf *r)
{
	uint8_t		 kind = rbuf_u8(r), status;
	const char	*from;
	size_t		 flen, n;
	uint64_t	 at;

	from = rbuf_str(r, &flen);
	at = rbuf_u64(r);
	status = rbuf_u8(r);
	if (r->err)
		fatalx("%s: malformed event", shim.pid);
	if (kind == EVENT_CANCEL && status == CANCEL_SHUTDOWN && !events_opened) {
		n = rbuf_left(r);	/* it cannot see CANCEL: stop at once */
		actor_exit_unseen_cancel(rbuf_bytes(r, n), n);
	}
	if (kind == EVENT_LINK_DOWN && !trap_links) {
		sched_fail("linked process failed");
		return;
	}
	lua_createtable(L, 0, 5);
	lua_pushstring(L, kind == EVENT_EXIT ? "pid.exit" :
	    kind == EVENT_CANCEL ? "pid.cancel" : "pid.link.down");
	lua_setfield(L, -2, "kind");
	lua_pushlstring(L, from, flen);
	lua_setfield(L, -2, "from");
	lua_pushinteger(L, (lua_Integer)at);
	lua_setfield(L, -2, "at");
	if (kind == EVENT_CANCEL) {
		n = rbuf_left(r);
		lua_pushlstring(L, rbuf_bytes(r, n), n);
		lua_setfield(L, -2, "reason");
	} else {
		push_exit_result(L, status, r);
		if (kind == EVENT_EXIT && exec_done(L, from, flen,
		    lua_gettop(L))) {
			lua_pop(L, 2);
			return;
		}
		lua_setfield(L, -2, "result");
	}
	mailbox_put(L, events_ref);
}

void
process_on_frame(lua_State *L, const struct frame_hdr *h, struct rbuf *r)
{
	switch (h->type) {
	case FRAME_REPLY:
		on_reply(h, r);
		break;
	case FRAME_DELIVER:
		on_deliver(L, r);
		break;
	case FRAME_DELIVER_JSON:
		on_deliver_json(L, r);
		break;
	case FRAME_EVENT:
		on_event(L, r);
		break;
	case FRAME_GONE:
		peers_del(rbuf_u32(r));
		if (r->err || rbuf_left(r) != 0)
			fatalx("%s: malformed gone", shim.pid);
		break;
	case FRAME_NAME_GONE:
		on_name_gone(r);
		break;
	default:
		fatalx("%s: unexpected frame type %u", shim.pid, h->type);
	}
}
