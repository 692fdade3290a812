/*
 * sched.c: the cooperative scheduler of one actor.
 *
 * Each task is a Lua thread driven with lua_resume from the C loop in
 * sched_run; nothing ever resumes a task from Lua.  A task's struct lives
 * in a full userdata (anchored in the registry until the task ends) so
 * that lua_close frees the tasks an ended actor abandoned, and its __gc
 * stops the sleep timer that may still sit in the event loop's heap.  The
 * thread's extra space points at its task, so finding the running task is
 * one load, and a user's own coroutines (whose extra space is copied from
 * the main thread, where it is NULL) are never mistaken for tasks.
 */
#include <sys/queue.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "ev.h"
#include "sched.h"
#include "xmalloc.h"

#define TASK_META	"osactor.task"

enum task_state {
	TASK_READY,		/* in the run queue */
	TASK_RUNNING,		/* resumed now */
	TASK_BLOCKED,		/* waits for sched_wake */
	TASK_DONE,
};

struct task {
	TAILQ_ENTRY(task) entry;
	lua_State	*co;
	int		 ref;		/* registry anchor of this userdata */
	int		 state;
	int		 nargs;		/* values on co's top for the next resume */
	struct ev_timer	 timer;		/* sched_sleep */
};

TAILQ_HEAD(taskq, task);

static struct {
	lua_State	*L;		/* the main thread */
	struct ev_loop	*loop;
	struct taskq	 runq;
	size_t		 nready;
	struct task	*main;
	void		(*idle)(void *);
	void		*idle_arg;
	int		 holds;
	int		(*can_wake)(void);
	int		(*sleep)(void);
	const char	*failure;	/* set by sched_fail */
} sched = { .runq = TAILQ_HEAD_INITIALIZER(sched.runq) };

static struct task **
task_slot(lua_State *co)
{
	return (struct task **)lua_getextraspace(co);
}

/* The main thread's extra space is not initialised by Lua; new threads copy it. */
static void
sched_clear_main(lua_State *L)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
	*task_slot(lua_tothread(L, -1)) = NULL;
	lua_pop(L, 1);
}

static void
runq_add(struct task *t)
{
	t->state = TASK_READY;
	TAILQ_INSERT_TAIL(&sched.runq, t, entry);
	sched.nready++;
}

static void
runq_remove(struct task *t)
{
	TAILQ_REMOVE(&sched.runq, t, entry);
	sched.nready--;
}

/* Only at lua_close (abandoned tasks) or after a task ended. */
static int
task_gc(lua_State *L)
{
	struct task	*t = luaL_checkudata(L, 1, TASK_META);

	if (sched.loop != NULL)
		ev_timer_stop(sched.loop, &t->timer);
	if (t->state == TASK_READY)
		runq_remove(t);
	if (t->co != NULL && *task_slot(t->co) == t)
		*task_slot(t->co) = NULL;
	t->state = TASK_DONE;
	if (sched.main == t)
		sched.main = NULL;
	return 0;
}

int
sched_init(lua_State *L, struct ev_loop *loop)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
	sched.L = lua_tothread(L, -1);
	lua_pop(L, 1);
	sched.loop = loop;
	TAILQ_INIT(&sched.runq);
	sched.nready = 0;
	sched.main = NULL;
	sched.idle = NULL;
	sched.idle_arg = NULL;
	sched.holds = 0;
	sched.can_wake = NULL;
	sched.sleep = NULL;
	sched.failure = NULL;
	sched_clear_main(L);
	if (luaL_newmetatable(L, TASK_META)) {
		lua_pushcfunction(L, task_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_pop(L, 1);
	return 0;
}

int
sched_busy(void)
{
	return !TAILQ_EMPTY(&sched.runq);
}

void
sched_set_idle(void (*hook)(void *), void *arg)
{
	sched.idle = hook;
	sched.idle_arg = arg;
}

/*
 * Asked when every task waits and no timer or hold remains: can
 * something outside (a message, a reply) still wake one of them?
 */
void
sched_set_waker(int (*can_wake)(void))
{
	sched.can_wake = can_wake;
}

/*
 * A cheaper sleep than the loop's, tried when every task waits and no
 * timer runs: 1 when it slept (and handled what woke it), 0 when the
 * loop must.
 */
void
sched_set_sleep(int (*sleep)(void))
{
	sched.sleep = sleep;
}

/* Fail the actor with msg (static) at the end of this turn. */
void
sched_fail(const char *msg)
{
	if (sched.failure == NULL)
		sched.failure = msg;
}

void
sched_hold(int delta)
{
	sched.holds += delta;
}

lua_State *
sched_state(void)
{
	return sched.L;
}

struct ev_loop *
sched_loop(void)
{
	return sched.loop;
}

lua_State *
task_thread(struct task *t)
{
	return t->co;
}

struct task *
sched_current(lua_State *L)
{
	return *task_slot(L);
}

struct task *
sched_need(lua_State *L)
{
	struct task	*t = sched_current(L);

	if (t == NULL || t->state != TASK_RUNNING)
		luaL_error(L, "blocking call outside a scheduled coroutine");
	if (!lua_isyieldable(L))
		luaL_error(L, "attempt to yield across a C-call boundary");
	return t;
}

/*
 * The function at idx and the nargs values after it, which end L's
 * stack, become a new ready task.  The arguments move into the task;
 * the function stays on L.
 */
static struct task *
task_new(lua_State *L, int idx, int nargs)
{
	struct task	*t;
	lua_State	*co;

	idx = lua_absindex(L, idx);
	luaL_checkstack(L, 3, NULL);
	t = lua_newuserdatauv(L, sizeof(*t), 1);
	memset(t, 0, sizeof(*t));
	t->ref = LUA_NOREF;
	t->state = TASK_DONE;
	luaL_setmetatable(L, TASK_META);
	co = lua_newthread(L);
	lua_setiuservalue(L, -2, 1);
	if (!lua_checkstack(co, nargs + 1))
		luaL_error(L, "too many arguments for a new coroutine");
	lua_pushvalue(L, idx);
	lua_xmove(L, co, 1);
	lua_rotate(L, idx + 1, -nargs);
	lua_xmove(L, co, nargs);
	t->co = co;
	t->nargs = nargs;
	*task_slot(co) = t;
	t->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	runq_add(t);
	return t;
}

int
sched_spawn(lua_State *L, int idx)
{
	luaL_checktype(L, idx, LUA_TFUNCTION);
	lua_pushvalue(L, idx);
	task_new(L, -1, 0);
	lua_pop(L, 1);
	return 0;
}

void
sched_main(lua_State *L, int nargs)
{
	int	 fn = lua_gettop(L) - nargs;

	sched.main = task_new(L, fn, nargs);
	lua_settop(L, fn - 1);
}

/*
 * What a runtime call yields: it tells a user's coroutine.resume (when the
 * call was made inside the user's own coroutine) to pass the yield up to
 * the scheduler instead of returning it to the user.
 */
static char	 chain_mark;

int
sched_blockk(lua_State *L, lua_KContext ctx, lua_KFunction k)
{
	struct task	*t = sched_need(L);

	t->state = TASK_BLOCKED;
	lua_pushlightuserdata(L, &chain_mark);
	return lua_yieldk(L, 1, ctx, k);
}

int
sched_block(lua_State *L)
{
	return sched_blockk(L, 0, NULL);
}

/* Give way to every other ready task, then go on. */
int
sched_yield(lua_State *L)
{
	sched_need(L);
	lua_pushlightuserdata(L, &chain_mark);
	return lua_yield(L, 1);
}

void
sched_wake(struct task *t, int nvals)
{
	if (t->state != TASK_BLOCKED)
		fatalx("sched_wake: task is not blocked");
	t->nargs = nvals;
	runq_add(t);
}

static void
task_timer_cb(struct ev_loop *loop, struct ev_timer *tm)
{
	sched_wake(tm->arg, 0);
}

int
sched_sleep(lua_State *L, uint64_t ns)
{
	struct task	*t = sched_need(L);

	ev_timer_start(sched.loop, &t->timer, ns, task_timer_cb, t);
	return sched_block(L);
}

static void
task_done(lua_State *L, struct task *t)
{
	*task_slot(t->co) = NULL;
	t->state = TASK_DONE;
	luaL_unref(L, LUA_REGISTRYINDEX, t->ref);
	t->ref = LUA_NOREF;
}

/* __tostring may raise: run it protected so a failure stays a failure. */
static int
error_text(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER)
		lua_tostring(L, 1);
	else if (!luaL_callmeta(L, 1, "__tostring") ||
	    lua_type(L, -1) != LUA_TSTRING)
		lua_pushfstring(L, "(error object is a %s value)",
		    luaL_typename(L, 1));
	return 1;
}

#define FAILURE_KEY	"osactor.failure"	/* the raw error value */

/*
 * Push the value the failing task raised, or nil when the actor failed
 * otherwise: an error object keeps its kind for the EXIT result.
 */
void
sched_failure_value(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, FAILURE_KEY);
}

/* Push the failing task's message and its traceback onto L. */
static void
task_fail(lua_State *L, struct task *t)
{
	luaL_checkstack(L, 4, NULL);
	lua_pushvalue(t->co, -1);
	lua_xmove(t->co, L, 1);
	lua_setfield(L, LUA_REGISTRYINDEX, FAILURE_KEY);
	lua_pushcfunction(L, error_text);
	lua_xmove(t->co, L, 1);
	if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_isstring(L, -1)) {
		lua_pop(L, 1);
		lua_pushliteral(L, "(error object cannot be converted)");
	}
	luaL_traceback(L, t->co, NULL, 0);
}

/* 1: go on; 0: main returned, its results on L; -1: the actor failed. */
static int
task_run(lua_State *L, struct task *t, int *nres)
{
	int	 status, n, nargs = t->nargs;

	t->nargs = 0;
	t->state = TASK_RUNNING;
	status = lua_resume(t->co, L, nargs, &n);
	if (status == LUA_YIELD) {
		lua_pop(t->co, n);
		if (t->state == TASK_RUNNING)
			runq_add(t);	/* a bare coroutine.yield() */
		return 1;
	}
	if (status != LUA_OK) {
		task_fail(L, t);
		return -1;
	}
	if (t != sched.main) {
		lua_pop(t->co, n);
		task_done(L, t);
		return 1;
	}
	luaL_checkstack(L, n, "too many results from main");
	lua_xmove(t->co, L, n);
	*nres = n;
	task_done(L, t);
	return 0;
}

/* Every task waits: sleep in the loop, unless nothing could wake one. */
static int
sched_wait(lua_State *L)
{
	int	 block;

	if (sched.idle != NULL)
		sched.idle(sched.idle_arg);
	block = TAILQ_EMPTY(&sched.runq);
	if (block && sched.holds <= 0 && sched.loop->nheap == 0 &&
	    (sched.can_wake == NULL || !sched.can_wake())) {
		luaL_checkstack(L, 2, NULL);
		lua_pushliteral(L,
		    "all coroutines blocked with no pending operations");
		if (sched.main != NULL && sched.main->state != TASK_DONE)
			luaL_traceback(L, sched.main->co, NULL, 0);
		else
			lua_pushliteral(L, "");
		return -1;
	}
	if (block && sched.loop->nheap == 0 && sched.sleep != NULL &&
	    sched.sleep())
		return 0;
	if (ev_run_once(sched.loop, block) == -1) {
		luaL_checkstack(L, 2, NULL);
		lua_pushfstring(L, "event loop: %s", strerror(errno));
		lua_pushliteral(L, "");
		return -1;
	}
	return 0;
}

/*
 * Each turn runs the tasks that were ready when it began, then polls
 * the loop (without sleeping while tasks are ready), so a task that
 * keeps yielding cannot starve timers and descriptors.
 */
int
sched_run(lua_State *L, int *nres)
{
	struct task	*t;
	size_t		 n;
	int		 rv;

	*nres = 0;
	for (;;) {
		for (n = sched.nready; n > 0; n--) {
			if ((t = TAILQ_FIRST(&sched.runq)) == NULL)
				break;
			runq_remove(t);
			if ((rv = task_run(L, t, nres)) != 1)
				return rv;
		}
		if (sched.failure == NULL && sched_wait(L) == -1)
			return -1;
		if (sched.failure != NULL) {
			luaL_checkstack(L, 2, NULL);
			lua_pushstring(L, sched.failure);
			lua_pushliteral(L, "");
			return -1;
		}
	}
}

static int
co_spawn(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	task_new(L, 1, lua_gettop(L) - 1);
	return 0;
}

/* Resuming or closing a task from Lua would tear it out of the scheduler. */
/* A coroutine that is itself a task: only the scheduler resumes it. */
static int
co_is_task(lua_State *co)
{
	struct task	*t = *task_slot(co);

	return t != NULL && t->co == co;
}

static int	co_resume_k(lua_State *, int, lua_KContext);

/*
 * Resume the user's coroutine at index 1 with the values above it.  A
 * runtime call inside it that blocks yields chain_mark: then this
 * coroutine yields too, up to the scheduler, and when the task is woken
 * the values go down to the call that blocked.  ctx 1 is wrap's manner
 * (results bare, errors raised), 0 is resume's (true/false first).
 */
static int
co_resume_run(lua_State *L, int wrap)
{
	lua_State	*co = lua_tothread(L, 1);
	int		 status, nres, nargs = lua_gettop(L) - 1;

	/* Runtime calls inside it block the task that runs us. */
	*task_slot(co) = sched_current(L);
	if (!lua_checkstack(co, nargs)) {
		lua_pushliteral(L, "too many arguments to resume");
		return wrap ? lua_error(L) : (lua_pushboolean(L, 0),
		    lua_insert(L, -2), 2);
	}
	lua_xmove(L, co, nargs);
	status = lua_resume(co, L, nargs, &nres);
	if (status == LUA_YIELD && nres == 1 &&
	    lua_touserdata(co, -1) == &chain_mark) {
		lua_pop(co, 1);
		lua_settop(L, 1);
		lua_pushlightuserdata(L, &chain_mark);
		return lua_yieldk(L, 1, wrap, co_resume_k);
	}
	if (status != LUA_OK && status != LUA_YIELD) {
		lua_xmove(co, L, 1);
		if (wrap)
			return lua_error(L);
		lua_pushboolean(L, 0);
		lua_insert(L, -2);
		return 2;
	}
	lua_settop(L, 1);
	if (!lua_checkstack(L, nres + 1))
		return luaL_error(L, "too many results to resume");
	if (!wrap)
		lua_pushboolean(L, 1);
	lua_xmove(co, L, nres);
	return wrap ? nres : nres + 1;
}

static int
co_resume_k(lua_State *L, int status, lua_KContext ctx)
{
	return co_resume_run(L, (int)ctx);
}

static int
co_resume(lua_State *L)
{
	lua_State	*co = lua_tothread(L, 1);

	luaL_argexpected(L, co != NULL, 1, "coroutine");
	if (co_is_task(co)) {
		lua_pushboolean(L, 0);
		lua_pushliteral(L, "cannot resume a scheduled coroutine");
		return 2;
	}
	if (lua_status(co) == LUA_OK && lua_gettop(co) == 0) {
		lua_pushboolean(L, 0);
		lua_pushliteral(L, "cannot resume dead coroutine");
		return 2;
	}
	return co_resume_run(L, 0);
}

/* The function coroutine.wrap returns: its coroutine is upvalue 1. */
static int
co_wrapped(lua_State *L)
{
	lua_State	*co = lua_tothread(L, lua_upvalueindex(1));

	if (lua_status(co) == LUA_OK && lua_gettop(co) == 0)
		return luaL_error(L, "cannot resume dead coroutine");
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	return co_resume_run(L, 1);
}

static int
co_wrap(lua_State *L)
{
	lua_State	*co;

	luaL_checktype(L, 1, LUA_TFUNCTION);
	co = lua_newthread(L);
	lua_pushvalue(L, 1);
	lua_xmove(L, co, 1);
	lua_pushcclosure(L, co_wrapped, 1);
	return 1;
}

static int
co_close_guard(lua_State *L)
{
	lua_State	*co = lua_tothread(L, 1);

	if (co != NULL && co_is_task(co))
		return luaL_error(L, "cannot close a scheduled coroutine");
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

void
sched_patch_coroutine(lua_State *L)
{
	sched_clear_main(L);
	if (lua_getglobal(L, "coroutine") != LUA_TTABLE)
		luaL_error(L, "sched_patch_coroutine: no coroutine library");
	lua_pushcfunction(L, co_resume);
	lua_setfield(L, -2, "resume");
	lua_pushcfunction(L, co_wrap);
	lua_setfield(L, -2, "wrap");
	lua_getfield(L, -1, "close");
	lua_pushcclosure(L, co_close_guard, 1);
	lua_setfield(L, -2, "close");
	lua_pushcfunction(L, co_spawn);
	lua_setfield(L, -2, "spawn");
	lua_pop(L, 1);
}
