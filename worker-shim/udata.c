/*
 * udata.c: metatables checked and set by registry reference (udata.h),
 * with the same results and error messages as luaL_checkudata and
 * luaL_setmetatable.
 */
#include <lauxlib.h>
#include <lua.h>

#include "udata.h"

/*
 * luaL_newmetatable, keeping a reference to it in *ref when it is new:
 * 1 then, 0 when name already had one; the metatable is pushed.
 */
int
udata_newmeta(lua_State *L, const char *name, int *ref)
{
	if (!luaL_newmetatable(L, name))
		return 0;
	lua_pushvalue(L, -1);
	*ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 1;
}

/* 1 if the value at idx, of any type, has the metatable at ref. */
int
udata_hasmeta(lua_State *L, int idx, int ref)
{
	int	 same;

	if (!lua_getmetatable(L, idx))
		return 0;
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	same = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return same;
}

/* The userdata at idx if its metatable is the one at ref, else NULL. */
void *
udata_test(lua_State *L, int idx, int ref)
{
	void	*p = lua_touserdata(L, idx);

	return p != NULL && udata_hasmeta(L, idx, ref) ? p : NULL;
}

/* udata_test, or the argument error luaL_checkudata raises for name. */
void *
udata_check(lua_State *L, int idx, int ref, const char *name)
{
	void	*p = udata_test(L, idx, ref);

	if (p == NULL)
		luaL_typeerror(L, idx, name);
	return p;
}

/* Set the metatable at ref on the value on top. */
void
udata_setmeta(lua_State *L, int ref)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
	lua_setmetatable(L, -2);
}
