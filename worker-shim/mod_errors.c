/*
 * mod_errors.c: error objects and the `errors` global (API.md section 2).
 *
 * An error is a full userdata with metatable "osactor.error".  Its kind,
 * message and details live in three user values so the garbage collector
 * owns them; only the retryable flag is in the C block.  Error objects are
 * immutable once made, so the codec and the logger may read them without
 * calling Lua.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "mod_errors.h"

#define UV_KIND		1
#define UV_MESSAGE	2
#define UV_DETAILS	3
#define UV_COUNT	3

struct errobj {
	int	 retryable;
};

static const struct {
	const char	*name;
	const char	*kind;
} errors_kinds[] = {
	{ "NOT_FOUND", ERR_NOT_FOUND },
	{ "ALREADY_EXISTS", ERR_ALREADY_EXISTS },
	{ "INVALID", ERR_INVALID },
	{ "PERMISSION_DENIED", ERR_PERMISSION_DENIED },
	{ "UNAVAILABLE", ERR_UNAVAILABLE },
	{ "INTERNAL", ERR_INTERNAL },
	{ "CANCELED", ERR_CANCELED },
	{ "CONFLICT", ERR_CONFLICT },
	{ "TIMEOUT", ERR_TIMEOUT },
	{ "RATE_LIMITED", ERR_RATE_LIMITED },
	{ "UNKNOWN", ERR_UNKNOWN },
};

static void	errors_meta(lua_State *);

static struct errobj *
errors_check(lua_State *L, int idx)
{
	return luaL_checkudata(L, idx, ERRORS_META);
}

int
errors_is_error(lua_State *L, int idx)
{
	if (lua_type(L, idx) != LUA_TUSERDATA)
		return 0;
	return luaL_testudata(L, idx, ERRORS_META) != NULL;
}

/* Push the message of the error at idx; returns its bytes. */
const char *
errors_push_message(lua_State *L, int idx, size_t *len)
{
	lua_getiuservalue(L, idx, UV_MESSAGE);
	return lua_tolstring(L, -1, len);
}

/* Push the kind and then the message of the error at idx; returns retryable. */
int
errors_push_parts(lua_State *L, int idx)
{
	struct errobj	*e = lua_touserdata(L, idx);

	idx = lua_absindex(L, idx);
	lua_getiuservalue(L, idx, UV_KIND);
	lua_getiuservalue(L, idx, UV_MESSAGE);
	return e->retryable;
}

void
errors_push_full(lua_State *L, const char *kind, size_t klen,
    const char *msg, size_t mlen, int retryable)
{
	struct errobj	*e;

	e = lua_newuserdatauv(L, sizeof(*e), UV_COUNT);
	e->retryable = retryable != 0;
	lua_pushlstring(L, kind, klen);
	lua_setiuservalue(L, -2, UV_KIND);
	lua_pushlstring(L, msg, mlen);
	lua_setiuservalue(L, -2, UV_MESSAGE);
	errors_meta(L);
	lua_setmetatable(L, -2);
}

void
errors_push(lua_State *L, const char *kind, const char *message)
{
	errors_push_full(L, kind, strlen(kind), message, strlen(message), 0);
}

/*
 * For `return errors_return(L, ERR_NOT_FOUND, "no %s", x)`.  The format
 * is lua_pushfstring's (%s %d %I %f %p %c %U %%), so the message lives in
 * Lua memory and a memory error cannot leak it.
 */
int
errors_return(lua_State *L, const char *kind, const char *fmt, ...)
{
	va_list		 ap;
	const char	*msg;
	size_t		 mlen;

	va_start(ap, fmt);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	msg = lua_tolstring(L, -1, &mlen);
	lua_pushnil(L);
	errors_push_full(L, kind, strlen(kind), msg, mlen, 0);
	lua_remove(L, -3);
	return 2;
}

/* Push the details of the error at idx (nil when it has none). */
void
errors_push_details(lua_State *L, int idx)
{
	lua_getiuservalue(L, idx, UV_DETAILS);
}

/*
 * Pop the value on top as the details of the error at idx: only for an
 * error just made (a decoded EXIT result), as errors are immutable.
 */
void
errors_set_details(lua_State *L, int idx)
{
	lua_setiuservalue(L, idx, UV_DETAILS);
}

static int
err_kind(lua_State *L)
{
	errors_check(L, 1);
	lua_getiuservalue(L, 1, UV_KIND);
	return 1;
}

static int
err_message(lua_State *L)
{
	errors_check(L, 1);
	lua_getiuservalue(L, 1, UV_MESSAGE);
	return 1;
}

static int
err_retryable(lua_State *L)
{
	lua_pushboolean(L, errors_check(L, 1)->retryable);
	return 1;
}

static int
err_details(lua_State *L)
{
	errors_check(L, 1);
	lua_getiuservalue(L, 1, UV_DETAILS);
	return 1;
}

/* Replace the operand at idx by a string, as `..` would see it. */
static void
err_concat_operand(lua_State *L, int idx)
{
	if (errors_is_error(L, idx)) {
		errors_push_message(L, idx, NULL);
		lua_replace(L, idx);
	} else if (!lua_isstring(L, idx))
		luaL_error(L, "attempt to concatenate a %s value",
		    luaL_typename(L, idx));
}

static int
err_concat(lua_State *L)
{
	lua_settop(L, 2);
	err_concat_operand(L, 1);
	err_concat_operand(L, 2);
	lua_concat(L, 2);
	return 1;
}

/* Lua only asks when both are userdata; any other userdata is unequal. */
static int
err_eq(lua_State *L)
{
	if (!errors_is_error(L, 1) || !errors_is_error(L, 2)) {
		lua_pushboolean(L, 0);
		return 1;
	}
	errors_push_message(L, 1, NULL);
	errors_push_message(L, 2, NULL);
	lua_pushboolean(L, lua_rawequal(L, -1, -2));
	return 1;
}

static const luaL_Reg errors_methods[] = {
	{ "kind", err_kind },
	{ "message", err_message },
	{ "retryable", err_retryable },
	{ "details", err_details },
	{ NULL, NULL }
};

static const luaL_Reg errors_metamethods[] = {
	{ "__tostring", err_message },
	{ "__concat", err_concat },
	{ "__eq", err_eq },
	{ NULL, NULL }
};

/* Push the metatable, making it on first use so C callers need no opener. */
static void
errors_meta(lua_State *L)
{
	if (!luaL_newmetatable(L, ERRORS_META))
		return;
	luaL_setfuncs(L, errors_metamethods, 0);
	luaL_newlib(L, errors_methods);
	lua_setfield(L, -2, "__index");
}

/* A field of the errors.new{} table: kind and details are optional. */
static void
errors_new_field(lua_State *L, const char *name, int type, int required)
{
	int	 t;

	t = lua_getfield(L, 1, name);
	if (t == type || (t == LUA_TNIL && !required))
		return;
	if (type == LUA_TSTRING && t == LUA_TNUMBER) {
		lua_tostring(L, -1);
		return;
	}
	luaL_argerror(L, 1, lua_pushfstring(L, "field '%s' must be a %s",
	    name, lua_typename(L, type)));
}

static int
errors_new_table(lua_State *L)
{
	const char	*kind = "", *msg;
	size_t		 klen = 0, mlen;
	int		 retryable;

	errors_new_field(L, "message", LUA_TSTRING, 1);
	errors_new_field(L, "kind", LUA_TSTRING, 0);
	errors_new_field(L, "retryable", LUA_TBOOLEAN, 0);
	msg = lua_tolstring(L, 2, &mlen);
	if (!lua_isnil(L, 3))
		kind = lua_tolstring(L, 3, &klen);
	retryable = lua_toboolean(L, 4);
	errors_push_full(L, kind, klen, msg, mlen, retryable);
	lua_getfield(L, 1, "details");
	lua_setiuservalue(L, -2, UV_DETAILS);
	return 1;
}

static int
errors_new(lua_State *L)
{
	const char	*msg;
	size_t		 mlen;

	lua_settop(L, 1);
	switch (lua_type(L, 1)) {
	case LUA_TSTRING:
	case LUA_TNUMBER:
		msg = lua_tolstring(L, 1, &mlen);
		errors_push_full(L, "", 0, msg, mlen, 0);
		return 1;
	case LUA_TTABLE:
		return errors_new_table(L);
	case LUA_TUSERDATA:
		if (errors_is_error(L, 1))
			return 1;
		break;
	}
	return luaL_typeerror(L, 1, "string or table");
}

/* Stack: err, context, new message.  Kind, retryable, details are kept. */
static int
errors_wrap_error(lua_State *L)
{
	const char	*kind, *msg;
	size_t		 klen, mlen;
	int		 retryable;

	retryable = errors_push_parts(L, 1);
	kind = lua_tolstring(L, 4, &klen);
	msg = lua_tolstring(L, 3, &mlen);
	errors_push_full(L, kind, klen, msg, mlen, retryable);
	lua_getiuservalue(L, 1, UV_DETAILS);
	lua_setiuservalue(L, -2, UV_DETAILS);
	return 1;
}

/* Wrapping nil gives nil, so `return errors.wrap(err, "x")` is safe. */
static int
errors_wrap(lua_State *L)
{
	size_t		 mlen;
	const char	*msg;

	luaL_checkstring(L, 2);
	lua_settop(L, 2);
	if (lua_isnil(L, 1)) {
		lua_pushnil(L);
		return 1;
	}
	lua_pushvalue(L, 2);
	lua_pushliteral(L, ": ");
	if (errors_is_error(L, 1)) {
		errors_push_message(L, 1, NULL);
		lua_concat(L, 3);
		return errors_wrap_error(L);
	}
	luaL_tolstring(L, 1, NULL);
	lua_concat(L, 3);
	msg = lua_tolstring(L, -1, &mlen);
	errors_push_full(L, "", 0, msg, mlen, 0);
	return 1;
}

/* errors.is(err, kind): kind may be a kind string or another error. */
static int
errors_is(lua_State *L)
{
	if (!errors_is_error(L, 1)) {
		lua_pushboolean(L, 0);
		return 1;
	}
	lua_getiuservalue(L, 1, UV_KIND);
	if (errors_is_error(L, 2))
		lua_getiuservalue(L, 2, UV_KIND);
	else
		lua_pushvalue(L, 2);
	lua_pushboolean(L, lua_rawequal(L, -1, -2));
	return 1;
}

static const luaL_Reg errors_funcs[] = {
	{ "new", errors_new },
	{ "wrap", errors_wrap },
	{ "is", errors_is },
	{ NULL, NULL }
};

int
luaopen_errors(lua_State *L)
{
	size_t	 i;

	errors_meta(L);
	lua_pop(L, 1);
	luaL_newlib(L, errors_funcs);
	for (i = 0; i < sizeof(errors_kinds) / sizeof(errors_kinds[0]); i++) {
		lua_pushstring(L, errors_kinds[i].kind);
		lua_setfield(L, -2, errors_kinds[i].name);
	}
	return 1;
}

/*
 * Stands in for a string library function: error arguments become their
 * messages, then the original C function runs in this same call frame,
 * so argument errors still name "string.find" rather than "?".  Only
 * functions without upvalues are wrapped, as the one upvalue index here
 * is ours.
 */
static int
errors_string_shim(lua_State *L)
{
	lua_CFunction	 fn = lua_tocfunction(L, lua_upvalueindex(1));
	int		 i, top = lua_gettop(L);

	for (i = 1; i <= top; i++) {
		if (errors_is_error(L, i)) {
			errors_push_message(L, i, NULL);
			lua_replace(L, i);
		}
	}
	return fn(L);
}

/* A C function without upvalues, at the top of the stack? */
static int
errors_string_wrappable(lua_State *L)
{
	if (lua_tocfunction(L, -1) == NULL)
		return 0;
	if (lua_getupvalue(L, -1, 1) != NULL) {
		lua_pop(L, 1);
		return 0;
	}
	return 1;
}

/* Running it twice is harmless: a wrapper has an upvalue, so is skipped. */
void
errors_patch_string_lib(lua_State *L)
{
	if (lua_getglobal(L, "string") != LUA_TTABLE) {
		lua_pop(L, 1);
		return;
	}
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		if (!errors_string_wrappable(L)) {
			lua_pop(L, 1);
			continue;
		}
		lua_pushcclosure(L, errors_string_shim, 1);
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -4);
	}
	lua_pop(L, 1);
}
