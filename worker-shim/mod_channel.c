/*
 * mod_channel.c: the `channel` global (API.md section 5), with Go's
 * semantics: unbuffered channels are rendezvous, waiting senders and
 * receivers are served first come first served, select takes the first
 * ready case in table order and otherwise waits on all of them at once.
 *
 * A task that must wait gets a waiter: one case per channel operation,
 * each linked into that channel's queue of senders or receivers.  The
 * waiter is a userdata left on the blocked C function's stack frame,
 * which a suspended coroutine keeps, so it lives exactly as long as the
 * wait.  The frame also anchors the channels (none can be collected while
 * linked) and the values being sent, which the receiver copies from
 * there.  Whoever completes one case unlinks every case of that waiter
 * before waking its task, so a select fires once and leaves nothing
 * behind in the other channels.
 */
#include <sys/queue.h>

#include <limits.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "mod_channel.h"
#include "udata.h"
#include "sched.h"

#define CASE_META	"osactor.case"
#define SELECT_MAX	(1 << 16)	/* cases in one select */

struct waiter;

struct wcase {
	TAILQ_ENTRY(wcase) entry;
	struct chan	*ch;
	struct waiter	*w;
	int		 send;
	int		 validx;	/* the value's slot in the blocked frame */
};

TAILQ_HEAD(wcaseq, wcase);

struct waiter {
	struct task	*t;
	lua_State	*th;
	int		 select;	/* wake with a result table */
	int		 linked;
	int		 ncases;
	struct wcase	 cases[];
};

/* Buffered values are keys head..tail-1 of the user value table. */
struct chan {
	struct wcaseq	 recvq;
	struct wcaseq	 sendq;
	lua_Integer	 head;
	lua_Integer	 tail;
	lua_Integer	 cap;
	int		 unbounded;
	int		 closed;
	uint64_t	*taken;		/* counts what receivers take, or NULL */
};

/* A case of a select; user values: 1 the channel, 2 the value to send. */
struct chcase {
	int		 send;
};

static int	 chan_ref = UDATA_NONE, case_ref = UDATA_NONE;

static struct chan *
chan_check(lua_State *L, int idx)
{
	return udata_check(L, idx, chan_ref, CHANNEL_META);
}

static int
chan_has_room(const struct chan *ch)
{
	return ch->unbounded || ch->tail - ch->head < ch->cap;
}

static void
buf_put(lua_State *L, int chidx, struct chan *ch, int vidx)
{
	if (lua_getiuservalue(L, chidx, 1) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setiuservalue(L, chidx, 1);
	}
	lua_pushvalue(L, vidx);
	lua_rawseti(L, -2, ch->tail++);
	lua_pop(L, 1);
}

/* Push the oldest buffered value and forget it. */
static void
buf_take(lua_State *L, int chidx, struct chan *ch)
{
	lua_getiuservalue(L, chidx, 1);
	lua_rawgeti(L, -1, ch->head);
	lua_pushnil(L);
	lua_rawseti(L, -3, ch->head++);
	lua_remove(L, -2);
	if (ch->head == ch->tail)
		ch->head = ch->tail = 1;
}

static void
waiter_link(struct waiter *w)
{
	struct wcase	*c;
	int		 i;

	for (i = 0; i < w->ncases; i++) {
		c = &w->cases[i];
		TAILQ_INSERT_TAIL(c->send ? &c->ch->sendq : &c->ch->recvq, c,
		    entry);
	}
	w->linked = 1;
}

static void
waiter_unlink(struct waiter *w)
{
	struct wcase	*c;
	int		 i;

	if (!w->linked)
		return;
	for (i = 0; i < w->ncases; i++) {
		c = &w->cases[i];
		TAILQ_REMOVE(c->send ? &c->ch->sendq : &c->ch->recvq, c,
		    entry);
	}
	w->linked = 0;
}

/* Room on a blocked task's stack for what its waker pushes. */
static lua_State *
waiter_thread(lua_State *L, struct waiter *w)
{
	if (!lua_checkstack(w->th, 4))
		luaL_error(L, "channel: no stack space to wake a coroutine");
	return w->th;
}

/* Pop the value on L's top into the waiting receiver case c and wake it. */
static void
deliver(lua_State *L, int chidx, struct wcase *c, int ok)
{
	struct waiter	*w = c->w;
	lua_State	*th = waiter_thread(L, w);

	waiter_unlink(w);
	if (!w->select) {
		lua_xmove(L, th, 1);
		lua_pushboolean(th, ok);
		sched_wake(w->t, 2);
		return;
	}
	lua_createtable(th, 0, 3);
	lua_pushvalue(L, chidx);
	lua_xmove(L, th, 1);
	lua_setfield(th, -2, "channel");
	lua_xmove(L, th, 1);
	lua_setfield(th, -2, "value");
	lua_pushboolean(th, ok);
	lua_setfield(th, -2, "ok");
	sched_wake(w->t, 1);
}

/* Push the value the blocked sender case c offers. */
static void
take_from(lua_State *L, struct wcase *c)
{
	lua_State	*th = waiter_thread(L, c->w);

	lua_pushvalue(th, c->validx);
	lua_xmove(th, L, 1);
}

/* The sender case c has handed its value over: wake it. */
static void
sent(lua_State *L, int chidx, struct wcase *c)
{
	struct waiter	*w = c->w;
	lua_State	*th = waiter_thread(L, w);

	waiter_unlink(w);
	if (!w->select) {
		lua_pushboolean(th, 1);
		sched_wake(w->t, 1);
		return;
	}
	lua_createtable(th, 0, 2);
	lua_pushvalue(L, chidx);
	lua_xmove(L, th, 1);
	lua_setfield(th, -2, "channel");
	lua_pushboolean(th, 1);
	lua_setfield(th, -2, "ok");
	sched_wake(w->t, 1);
}

/* The channel closed under a blocked sender: its continuation raises. */
static void
refused(lua_State *L, struct wcase *c)
{
	struct waiter	*w = c->w;
	lua_State	*th = waiter_thread(L, w);

	waiter_unlink(w);
	lua_pushboolean(th, 0);
	sched_wake(w->t, 1);
}

/* A receiver has taken a value from ch. */
static void
took(struct chan *ch)
{
	if (ch->taken != NULL)
		(*ch->taken)++;
}

/* Send the value at vidx now if that needs no wait; 1 when done. */
static int
chan_trysend(lua_State *L, int chidx, struct chan *ch, int vidx)
{
	struct wcase	*c;

	if ((c = TAILQ_FIRST(&ch->recvq)) != NULL) {
		lua_pushvalue(L, vidx);
		deliver(L, chidx, c, 1);
		took(ch);
		return 1;
	}
	if (chan_has_room(ch)) {
		buf_put(L, chidx, ch, vidx);
		return 1;
	}
	return 0;
}

/*
 * Receive now if that needs no wait: 1 with the value pushed, 0 with nil
 * pushed (closed and drained), -1 with nothing pushed (must wait).
 */
static int
chan_tryrecv(lua_State *L, int chidx, struct chan *ch)
{
	struct wcase	*c;

	if (ch->tail > ch->head) {
		buf_take(L, chidx, ch);
		if ((c = TAILQ_FIRST(&ch->sendq)) != NULL) {
			take_from(L, c);
			buf_put(L, chidx, ch, lua_gettop(L));
			lua_pop(L, 1);
			sent(L, chidx, c);
		}
		took(ch);
		return 1;
	}
	if ((c = TAILQ_FIRST(&ch->sendq)) != NULL) {
		take_from(L, c);
		sent(L, chidx, c);
		took(ch);
		return 1;
	}
	if (ch->closed) {
		lua_pushnil(L);
		return 0;
	}
	return -1;
}

static struct waiter *
waiter_new(lua_State *L, struct task *t, int ncases, int select)
{
	struct waiter	*w;
	size_t		 size;

	size = sizeof(*w) + (size_t)ncases * sizeof(w->cases[0]);
	w = lua_newuserdatauv(L, size, 0);
	memset(w, 0, size);
	w->t = t;
	w->th = L;
	w->select = select;
	w->ncases = ncases;
	return w;
}

static void
chan_meta(lua_State *L);

void
chan_new(lua_State *L, int cap, int unbounded)
{
	struct chan	*ch;

	ch = lua_newuserdatauv(L, sizeof(*ch), 1);
	memset(ch, 0, sizeof(*ch));
	TAILQ_INIT(&ch->recvq);
	TAILQ_INIT(&ch->sendq);
	ch->head = ch->tail = 1;
	ch->cap = cap < 0 ? 0 : cap;
	ch->unbounded = unbounded;
	chan_meta(L);
	lua_setmetatable(L, -2);
}

/* Whether a task (or a select) waits to receive from the channel at idx. */
int
chan_has_receivers(lua_State *L, int idx)
{
	return !TAILQ_EMPTY(&chan_check(L, idx)->recvq);
}

void
chan_count_taken(lua_State *L, int idx, uint64_t *n)
{
	chan_check(L, idx)->taken = n;
}

static int
offer(lua_State *L, int idx, struct chan *ch)
{
	int	 ok;

	idx = lua_absindex(L, idx);
	luaL_checkstack(L, 4, NULL);
	ok = !ch->closed && chan_trysend(L, idx, ch, lua_gettop(L));
	lua_pop(L, 1);
	return ok;
}

int
chan_offer(lua_State *L, int idx)
{
	return offer(L, idx, chan_check(L, idx));
}

static void
push(lua_State *L, int idx, struct chan *ch)
{
	if (!ch->closed && TAILQ_EMPTY(&ch->recvq) && !chan_has_room(ch))
		luaL_error(L, "channel is full");
	(void)offer(L, idx, ch);
}

void
chan_push(lua_State *L, int idx)
{
	push(L, idx, chan_check(L, idx));
}

void
chan_push_own(lua_State *L, int idx)
{
	push(L, idx, lua_touserdata(L, idx));
}

void
chan_close(lua_State *L, int idx)
{
	struct chan	*ch = chan_check(L, idx);
	struct wcase	*c;

	idx = lua_absindex(L, idx);
	if (ch->closed)
		return;
	ch->closed = 1;
	luaL_checkstack(L, 4, NULL);
	while ((c = TAILQ_FIRST(&ch->recvq)) != NULL) {
		lua_pushnil(L);
		deliver(L, idx, c, 0);
	}
	while ((c = TAILQ_FIRST(&ch->sendq)) != NULL)
		refused(L, c);
}

static int
send_done(lua_State *L, int status, lua_KContext ctx)
{
	if (!lua_toboolean(L, -1))
		return luaL_error(L, "send on closed channel");
	return 0;
}

static int
ch_send(lua_State *L)
{
	struct chan	*ch = chan_check(L, 1);
	struct task	*t;
	struct waiter	*w;

	lua_settop(L, 2);
	if (ch->closed)
		return luaL_error(L, "send on closed channel");
	if (chan_trysend(L, 1, ch, 2))
		return 0;
	t = sched_need(L);
	w = waiter_new(L, t, 1, 0);
	w->cases[0] = (struct wcase){ .ch = ch, .w = w, .send = 1,
	    .validx = 2 };
	waiter_link(w);
	return sched_blockk(L, 0, send_done);
}

static int
ch_receive(lua_State *L)
{
	struct chan	*ch = chan_check(L, 1);
	struct task	*t;
	struct waiter	*w;
	int		 rv;

	lua_settop(L, 1);
	if ((rv = chan_tryrecv(L, 1, ch)) >= 0) {
		lua_pushboolean(L, rv);
		return 2;
	}
	t = sched_need(L);
	w = waiter_new(L, t, 1, 0);
	w->cases[0] = (struct wcase){ .ch = ch, .w = w };
	waiter_link(w);
	return sched_block(L);
}

static int
ch_close(lua_State *L)
{
	chan_check(L, 1);
	chan_close(L, 1);
	return 0;
}

static int
ch_case(lua_State *L, int send)
{
	struct chcase	*cs;

	chan_check(L, 1);
	lua_settop(L, 2);
	cs = lua_newuserdatauv(L, sizeof(*cs), 2);
	cs->send = send;
	lua_pushvalue(L, 1);
	lua_setiuservalue(L, -2, 1);
	lua_pushvalue(L, 2);
	lua_setiuservalue(L, -2, 2);
	udata_setmeta(L, case_ref);
	return 1;
}

static int
ch_case_send(lua_State *L)
{
	return ch_case(L, 1);
}

static int
ch_case_receive(lua_State *L)
{
	lua_settop(L, 1);
	return ch_case(L, 0);
}

static int
ch_tostring(lua_State *L)
{
	lua_pushfstring(L, "channel: %p", lua_touserdata(L, 1));
	return 1;
}

/* Push {channel=, value=, ok=}; the value, if any, is popped from L. */
static void
select_result(lua_State *L, int chidx, int hasvalue, int ok)
{
	lua_createtable(L, 0, 3);
	if (hasvalue) {
		lua_insert(L, -2);
		lua_setfield(L, -2, "value");
	}
	lua_pushvalue(L, chidx);
	lua_setfield(L, -2, "channel");
	lua_pushboolean(L, ok);
	lua_setfield(L, -2, "ok");
}

/* Push case i of the select table at 1; a Lua error if it is not one. */
static struct chcase *
select_case(lua_State *L, int i)
{
	struct chcase	*cs;

	lua_rawgeti(L, 1, i);
	if ((cs = udata_test(L, -1, case_ref)) == NULL)
		luaL_error(L, "select: case %d is not a channel case", i);
	return cs;
}

/* Complete case i if it is ready: 1 with the result pushed. */
static int
select_try(lua_State *L, int i)
{
	struct chcase	*cs;
	struct chan	*ch;
	int		 top = lua_gettop(L), rv;

	cs = select_case(L, i);
	lua_getiuservalue(L, top + 1, 1);
	ch = lua_touserdata(L, top + 2);
	if (cs->send) {
		if (ch->closed)
			return luaL_error(L, "send on closed channel");
		lua_getiuservalue(L, top + 1, 2);
		if (!chan_trysend(L, top + 2, ch, top + 3)) {
			lua_settop(L, top);
			return 0;
		}
		select_result(L, top + 2, 0, 1);
		return 1;
	}
	if ((rv = chan_tryrecv(L, top + 2, ch)) < 0) {
		lua_settop(L, top);
		return 0;
	}
	select_result(L, top + 2, 1, rv);
	return 1;
}

static int
select_done(lua_State *L, int status, lua_KContext ctx)
{
	if (!lua_istable(L, -1))
		return luaL_error(L, "send on closed channel");
	return 1;
}

/* Wait on every case; the frame keeps each channel and value to send. */
static int
select_block(lua_State *L, int n)
{
	struct task	*t = sched_need(L);
	struct waiter	*w;
	struct wcase	*c;
	struct chcase	*cs;
	int		 i;

	luaL_checkstack(L, 2 * n + 4, "select: too many cases");
	w = waiter_new(L, t, n, 1);
	for (i = 0; i < n; i++) {
		c = &w->cases[i];
		cs = select_case(L, i + 1);
		lua_getiuservalue(L, -1, 1);
		c->ch = lua_touserdata(L, -1);
		c->w = w;
		c->send = cs->send;
		if (c->send) {
			lua_getiuservalue(L, -2, 2);
			c->validx = lua_gettop(L);
			lua_rotate(L, -3, -1);
		} else
			lua_rotate(L, -2, -1);
		lua_pop(L, 1);
		if (c->send)
			c->validx--;
	}
	waiter_link(w);
	return sched_blockk(L, 0, select_done);
}

static int
ch_select(lua_State *L)
{
	lua_Unsigned	 n;
	int		 i, dflt;

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	n = lua_rawlen(L, 1);
	if (n > SELECT_MAX)
		return luaL_error(L, "select: too many cases");
	lua_getfield(L, 1, "default");
	dflt = lua_toboolean(L, -1);
	lua_pop(L, 1);
	for (i = 1; i <= (int)n; i++)
		if (select_try(L, i))
			return 1;
	if (dflt) {
		lua_createtable(L, 0, 2);
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "default");
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "ok");
		return 1;
	}
	if (n == 0)
		return luaL_error(L, "select: no cases and no default");
	return select_block(L, (int)n);
}

static int
ch_new(lua_State *L)
{
	lua_Integer	 cap = luaL_optinteger(L, 1, 0);

	luaL_argcheck(L, cap >= 0 && cap <= INT_MAX, 1,
	    "capacity out of range");
	chan_new(L, (int)cap, 0);
	return 1;
}

static const luaL_Reg chan_methods[] = {
	{ "send", ch_send },
	{ "receive", ch_receive },
	{ "close", ch_close },
	{ "case_send", ch_case_send },
	{ "case_receive", ch_case_receive },
	{ NULL, NULL }
};

static const luaL_Reg chan_funcs[] = {
	{ "new", ch_new },
	{ "select", ch_select },
	{ NULL, NULL }
};

/* Push the channel metatable, made on first use: C may need it first. */
static void
chan_meta(lua_State *L)
{
	if (!udata_newmeta(L, CHANNEL_META, &chan_ref))
		return;
	luaL_newlib(L, chan_methods);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, ch_tostring);
	lua_setfield(L, -2, "__tostring");
	udata_newmeta(L, CASE_META, &case_ref);
	lua_pop(L, 1);
}

int
luaopen_channel(lua_State *L)
{
	chan_meta(L);
	lua_pop(L, 1);
	luaL_newlib(L, chan_funcs);
	return 1;
}
