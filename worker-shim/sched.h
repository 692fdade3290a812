/*
 * sched.h: the actor's cooperative scheduler.  Every coroutine the
 * runtime drives is a task; a task runs until it blocks in a runtime
 * call (sched_block), yields, or ends.  Blocking calls never block the
 * process: while every task waits, the shim sleeps in the event loop.
 */
#ifndef OSACTOR_SCHED_H
#define OSACTOR_SCHED_H

#include <stdint.h>

#include <lua.h>

#include "ev.h"

struct task;

/* Set up for the state L and its loop; before any other call. */
int		 sched_init(lua_State *, struct ev_loop *);
/* Add coroutine.spawn, and guard resume/close against tasks. */
void		 sched_patch_coroutine(lua_State *);

/* The function below nargs arguments on L's top becomes the main task. */
void		 sched_main(lua_State *, int);
/* 0: main's results pushed, count in *nres; -1: message, traceback. */
int		 sched_run(lua_State *, int *);
void		 sched_failure_value(lua_State *);
void		 sched_set_idle(void (*)(void *), void *);
/* Whether a task is ready to run: the loop is polled, not slept in. */
int		 sched_busy(void);

/*
 * A source outside the scheduler that may still wake a task (the
 * supervisor link, a pending stdin read).  With none held, no timer and
 * no ready task, sched_run fails with "all coroutines blocked with no
 * pending operations" instead of sleeping forever.
 */
void		 sched_hold(int);
void		 sched_set_waker(int (*)(void));
void		 sched_set_sleep(int (*)(void));
void		 sched_fail(const char *);

struct task	*sched_current(lua_State *);
/* The current task, or a Lua error when L may not block here. */
struct task	*sched_need(lua_State *);
int		 sched_block(lua_State *);
int		 sched_blockk(lua_State *, lua_KContext, lua_KFunction);
int		 sched_sleep(lua_State *, uint64_t);
int		 sched_yield(lua_State *);
lua_State	*task_thread(struct task *);
void		 sched_wake(struct task *, int);
int		 sched_spawn(lua_State *, int);

/* For C callbacks that run outside any task (timers, descriptors). */
lua_State	*sched_state(void);
struct ev_loop	*sched_loop(void);

#endif /* OSACTOR_SCHED_H */
