/*
 * errors_test.c: error objects as Lua code sees them (API.md section 2),
 * the C helpers the rest of the shim uses, the string library accepting
 * errors, and errors through the value codec.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "frame.h"
#include "mod_errors.h"
#include "value.h"
#include "unit.h"

static int
c_not_found(lua_State *L)
{
	return errors_return(L, ERR_NOT_FOUND, "no such %s: %d",
	    luaL_checkstring(L, 1), 42);
}

static int
c_push(lua_State *L)
{
	errors_push(L, ERR_TIMEOUT, "timed out");
	return 1;
}

static int
c_is_error(lua_State *L)
{
	lua_pushboolean(L, errors_is_error(L, 1));
	return 1;
}

/* Encode the arguments, decode them back, return what came out. */
static int
c_roundtrip(lua_State *L)
{
	struct wbuf	 b = { 0 };
	char		 err[256];
	int		 n = lua_gettop(L), n2;

	if (value_encode(L, 1, n, &b, err, sizeof(err)) == -1 ||
	    value_decode(L, b.data, b.len, &n2, err, sizeof(err)) == -1) {
		wbuf_free(&b);
		return luaL_error(L, "%s", err);
	}
	wbuf_free(&b);
	return n2;
}

static lua_State *
state_new(void)
{
	lua_State	*L = luaL_newstate();

	luaL_openlibs(L);
	luaL_requiref(L, "errors", luaopen_errors, 1);
	lua_pop(L, 1);
	errors_patch_string_lib(L);
	lua_register(L, "c_not_found", c_not_found);
	lua_register(L, "c_push", c_push);
	lua_register(L, "c_is_error", c_is_error);
	lua_register(L, "c_roundtrip", c_roundtrip);
	return L;
}

/* Run a Lua snippet; it passes when it raises nothing. */
static int
lua_ok(lua_State *L, const char *code)
{
	if (luaL_dostring(L, code) != LUA_OK) {
		fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
		lua_settop(L, 0);
		return 0;
	}
	lua_settop(L, 0);
	return 1;
}

static void
test_object(void)
{
	lua_State	*L = state_new();

	CHECK(lua_ok(L, "local e = errors.new('boom')\n"
	    "assert(tostring(e) == 'boom')\n"
	    "assert(e:message() == 'boom' and e:kind() == '')\n"
	    "assert(e:kind() == errors.UNKNOWN)\n"
	    "assert(e:retryable() == false and e:details() == nil)\n"
	    "assert(type(e) == 'userdata')\n"));
	CHECK(lua_ok(L, "local e = errors.new('boom')\n"
	    "assert(e .. '!' == 'boom!' and '>' .. e == '>boom')\n"
	    "assert(e .. 1 == 'boom1' and 2 .. e == '2boom')\n"
	    "assert(e .. e == 'boomboom')\n"
	    "assert(not pcall(function() return e .. {} end))\n"
	    "assert(string.format('%s', e) == 'boom')\n"));
	CHECK(lua_ok(L, "local a, b = errors.new('same'), errors.new{"
	    "message = 'same', kind = 'Other'}\n"
	    "assert(a == b and not (a ~= b))\n"
	    "assert(a ~= errors.new('other'))\n"
	    "assert(a ~= 'same')\n"
	    "assert(a ~= io.stdout and io.stdout ~= a)\n"));
	CHECK(lua_ok(L, "local ok, e = pcall(error, errors.new('thrown'))\n"
	    "assert(not ok and e:message() == 'thrown')\n"));
	lua_close(L);
}

static void
test_new(void)
{
	lua_State	*L = state_new();

	CHECK(lua_ok(L, "local d = {a = 1}\n"
	    "local e = errors.new{message = 'm', kind = errors.NOT_FOUND, "
	    "retryable = true, details = d}\n"
	    "assert(e:message() == 'm' and e:kind() == 'NotFound')\n"
	    "assert(e:retryable() == true and e:details() == d)\n"));
	CHECK(lua_ok(L, "assert(errors.new(12):message() == '12')\n"
	    "assert(errors.new{message = 3}:message() == '3')\n"
	    "local e = errors.new('x') assert(errors.new(e) == e)\n"));
	CHECK(lua_ok(L, "assert(not pcall(errors.new))\n"
	    "assert(not pcall(errors.new, {}))\n"
	    "assert(not pcall(errors.new, {message = 'm', kind = {}}))\n"
	    "assert(not pcall(errors.new, {message = 'm', retryable = 1}))\n"
	    "assert(not pcall(errors.new, print))\n"
	    "local ok, msg = pcall(errors.new, {})\n"
	    "assert(msg:find(\"field 'message' must be a string\", 1, "
	    "true), msg)\n"));
	CHECK(lua_ok(L,
	    "assert(errors.NOT_FOUND == 'NotFound')\n"
	    "assert(errors.ALREADY_EXISTS == 'AlreadyExists')\n"
	    "assert(errors.INVALID == 'Invalid')\n"
	    "assert(errors.PERMISSION_DENIED == 'PermissionDenied')\n"
	    "assert(errors.UNAVAILABLE == 'Unavailable')\n"
	    "assert(errors.INTERNAL == 'Internal')\n"
	    "assert(errors.CANCELED == 'Canceled')\n"
	    "assert(errors.CONFLICT == 'Conflict')\n"
	    "assert(errors.TIMEOUT == 'Timeout')\n"
	    "assert(errors.RATE_LIMITED == 'RateLimited')\n"
	    "assert(errors.UNKNOWN == '')\n"));
	lua_close(L);
}

static void
test_wrap_is(void)
{
	lua_State	*L = state_new();

	CHECK(lua_ok(L, "local d = {}\n"
	    "local e = errors.new{message = 'disk full', kind = "
	    "errors.UNAVAILABLE, retryable = true, details = d}\n"
	    "local w = errors.wrap(e, 'saving')\n"
	    "assert(w:message() == 'saving: disk full')\n"
	    "assert(w:kind() == 'Unavailable' and w:retryable())\n"
	    "assert(w:details() == d)\n"
	    "assert(e:message() == 'disk full')\n"
	    "local ww = errors.wrap(w, 'outer')\n"
	    "assert(tostring(ww) == 'outer: saving: disk full')\n"));
	CHECK(lua_ok(L, "assert(errors.wrap(nil, 'ctx') == nil)\n"
	    "local w = errors.wrap('plain', 'ctx')\n"
	    "assert(w:message() == 'ctx: plain' and w:kind() == '')\n"
	    "assert(not pcall(errors.wrap, errors.new('x')))\n"));
	CHECK(lua_ok(L, "local e = errors.new{message = 'x', kind = "
	    "errors.TIMEOUT}\n"
	    "assert(errors.is(e, errors.TIMEOUT))\n"
	    "assert(errors.is(e, 'Timeout'))\n"
	    "assert(not errors.is(e, errors.NOT_FOUND))\n"
	    "assert(errors.is(e, errors.new{message = 'y', kind = "
	    "'Timeout'}))\n"
	    "assert(not errors.is('x', errors.UNKNOWN))\n"
	    "assert(not errors.is(nil, errors.TIMEOUT))\n"
	    "assert(errors.is(errors.new('u'), errors.UNKNOWN))\n"));
	lua_close(L);
}

static void
test_c_api(void)
{
	lua_State	*L = state_new();

	CHECK(lua_ok(L, "local v, e = c_not_found('actor')\n"
	    "assert(v == nil and e:kind() == errors.NOT_FOUND)\n"
	    "assert(e:message() == 'no such actor: 42')\n"
	    "local t = c_push()\n"
	    "assert(t:kind() == 'Timeout' and tostring(t) == 'timed out')\n"
	    "assert(c_is_error(t) and not c_is_error('x'))\n"
	    "assert(not c_is_error(io.stdout) and not c_is_error({}))\n"));
	lua_close(L);

	/* Without luaopen_errors, pushing from C still makes whole objects. */
	L = luaL_newstate();
	luaL_openlibs(L);
	errors_push(L, ERR_CONFLICT, "clash");
	lua_setglobal(L, "e");
	CHECK(lua_ok(L, "assert(tostring(e) == 'clash' and "
	    "e:kind() == 'Conflict')"));
	lua_close(L);
}

static void
test_string_lib(void)
{
	lua_State	*L = state_new();

	CHECK(lua_ok(L, "local e = errors.new('file not found')\n"
	    "assert(string.find(e, 'not found') == 6)\n"
	    "assert(string.match(e, '(%w+) not') == 'file')\n"
	    "assert(string.gsub(e, 'file', 'dir') == 'dir not found')\n"
	    "assert(string.sub(e, 1, 4) == 'file' and string.len(e) == 14)\n"
	    "assert(string.upper(e) == 'FILE NOT FOUND')\n"
	    "assert(string.lower(errors.new('ABC')) == 'abc')\n"
	    "assert(string.rep(e, 2, '|') == 'file not found|file not found')\n"
	    "assert(string.format('%s!', e) == 'file not found!')\n"
	    "assert(string.format('%q', errors.new('a')) == '\"a\"')\n"
	    "assert(('x: file not found'):find(e, 1, true) == 4)\n"
	    "assert(string.byte(errors.new('A')) == 65)\n"
	    "local n = 0 for w in string.gmatch(e, '%a+') do n = n + 1 end\n"
	    "assert(n == 3)\n"));
	/* Ordinary use is unchanged, argument errors still name the function. */
	CHECK(lua_ok(L, "assert(('abc'):upper() == 'ABC')\n"
	    "assert(string.format('%d-%s', 3, 'x') == '3-x')\n"
	    "local ok, msg = pcall(string.rep)\n"
	    "assert(not ok and msg:find(\"to 'string.rep'\", 1, true), msg)\n"
	    "ok, msg = pcall(function() return ('x'):rep({}) end)\n"
	    "assert(not ok and msg:find(\"to 'rep'\", 1, true), msg)\n"
	    "assert(not pcall(string.find, {}, 'x'))\n"));
	/* Patching twice does not wrap twice. */
	errors_patch_string_lib(L);
	CHECK(lua_ok(L, "local _, f = debug.getupvalue(string.find, 1)\n"
	    "assert(type(f) == 'function')\n"
	    "assert(debug.getupvalue(f, 1) == nil)\n"
	    "assert(string.find(errors.new('ab'), 'b') == 2)\n"));
	lua_close(L);
}

static void
test_codec(void)
{
	lua_State	*L = state_new();

	CHECK(lua_ok(L, "local e = errors.new{message = 'gone', kind = "
	    "errors.NOT_FOUND, retryable = true, details = {x = 1}}\n"
	    "local a, b = c_roundtrip(e, {inner = e, [1] = 'one'})\n"
	    "assert(c_is_error(a) and a ~= nil)\n"
	    "assert(a:message() == 'gone' and a:kind() == 'NotFound')\n"
	    "assert(a:retryable() == true and a:details() == nil)\n"
	    "assert(a == e and rawequal(a, e) == false)\n"
	    "assert(b.inner:message() == 'gone' and b[1] == 'one')\n"
	    "assert(string.find(b.inner, 'on') == 2)\n"
	    "local w = c_roundtrip(errors.new(''))\n"
	    "assert(w:message() == '' and w:kind() == '' and "
	    "not w:retryable())\n"));
	lua_close(L);
}

int
main(void)
{
	RUN(test_object);
	RUN(test_new);
	RUN(test_wrap_is);
	RUN(test_c_api);
	RUN(test_string_lib);
	RUN(test_codec);
	UNIT_EXIT();
}
