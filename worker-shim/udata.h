/*
 * udata.h: metatables known by a registry reference as well as by name.
 * luaL_checkudata finds a metatable by its name, hashing and comparing
 * the string on every call; a message crosses three such checks on its
 * way in.  A shim has one Lua state, so each kind keeps its reference in
 * a static int (UDATA_NONE until made).
 */
#ifndef OSACTOR_UDATA_H
#define OSACTOR_UDATA_H

#include <lua.h>

#define UDATA_NONE	(-1)

int	 udata_newmeta(lua_State *, const char *, int *);
int	 udata_hasmeta(lua_State *, int, int);
void	*udata_test(lua_State *, int, int);
void	*udata_check(lua_State *, int, int, const char *);
void	 udata_setmeta(lua_State *, int);

#endif /* OSACTOR_UDATA_H */
