/*
 * sandbox.h: what an actor's Lua state may see (API.md section 1,
 * "Globals" and "Modules"), and the runtime modules it may be given.
 */
#ifndef OSACTOR_SANDBOX_H
#define OSACTOR_SANDBOX_H

#include <stddef.h>

#include <lua.h>

#include "mod_json.h"

/* sandbox.c */
void	 sandbox_register(const char *, lua_CFunction);
void	 sandbox_open(lua_State *);
struct shim_scope;
void	 sandbox_enable(lua_State *, const struct shim_scope *);
void	 sandbox_push_env(lua_State *, const struct shim_scope *);
void	 sandbox_set_importer(int (*)(lua_State *, const char *));
struct ev_loop;
lua_State *sandbox_new(void);
void	 sandbox_finish(lua_State *, const struct shim_scope *,
	    struct ev_loop *);
lua_State *sandbox_state(const struct shim_scope *, struct ev_loop *);

/* mod_time.c */
int	 luaopen_time(lua_State *);


/* mod_io.c */
int	 luaopen_io(lua_State *);
void	 io_set_args(lua_State *, int);
void	 io_flush_all(void);

#endif /* OSACTOR_SANDBOX_H */
