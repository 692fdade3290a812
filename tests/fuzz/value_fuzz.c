/*
 * value_fuzz.c: libFuzzer target for the Lua value decoder, which reads
 * what other actors sent.  Any bytes must decode to values or give an
 * error, never crash, leak or build more than the limits allow; what
 * decodes must encode again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lualib.h>

#include "frame.h"
#include "mod_errors.h"
#include "value.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static lua_State *L;

static lua_State *
state(void)
{
	if (L == NULL) {
		if ((L = luaL_newstate()) == NULL)
			abort();
		luaL_openlibs(L);
		luaL_requiref(L, "errors", luaopen_errors, 1);
		lua_pop(L, 1);
	}
	return L;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lua_State	*l = state();
	struct wbuf	 again = { 0 };
	char		 err[256];
	int		 n, top = lua_gettop(l);

	if (value_decode(l, data, size, &n, err, sizeof(err)) == 0) {
		if (lua_gettop(l) != top + n)
			__builtin_trap();
		if (value_encode(l, top + 1, n, &again, err,
		    sizeof(err)) == -1)
			__builtin_trap();
	}
	lua_settop(l, top);
	wbuf_free(&again);
	lua_gc(l, LUA_GCCOLLECT);
	return 0;
}
