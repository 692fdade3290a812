/*
 * value_test.c: the Lua value codec (round trips of every type, refusals
 * with their paths, hostile and random bytes for the decoder), and the
 * log side of values: fmtvalue and the logger.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "fmtvalue.h"
#include "frame.h"
#include "osactor.h"
#include "log.h"
#include "mod_errors.h"
#include "proto.h"
#include "shim.h"
#include "value.h"
#include "unit.h"

struct shim shim;		/* main.c's, which tests do not link */

/* Deep equality that tells 0 from 0.0, -0.0 from 0.0 and NaN from all. */
static const char same_lua[] =
    "function same(a, b)\n"
    "  if type(a) ~= type(b) then return false end\n"
    "  if type(a) == 'number' then\n"
    "    if math.type(a) ~= math.type(b) then return false end\n"
    "    if a ~= a then return b ~= b end\n"
    "    if a == 0 and b == 0 then return 1/a == 1/b end\n"
    "    return a == b\n"
    "  end\n"
    "  if type(a) == 'table' then\n"
    "    if getmetatable(b) ~= nil then return false end\n"
    "    for k, v in next, a do\n"
    "      if not same(v, rawget(b, k)) then return false end\n"
    "    end\n"
    "    for k in next, b do\n"
    "      if rawget(a, k) == nil then return false end\n"
    "    end\n"
    "    return true\n"
    "  end\n"
    "  if type(a) == 'userdata' then\n"
    "    return a:kind() == b:kind() and a:message() == b:message() and\n"
    "        a:retryable() == b:retryable() and b:details() == nil\n"
    "  end\n"
    "  return a == b\n"
    "end\n"
    "function nest(n)\n"
    "  local r = {}\n"
    "  local t = r\n"
    "  for i = 2, n do t.a = {}; t = t.a end\n"
    "  return r\n"
    "end\n";

static lua_State *
state_new(void)
{
	lua_State	*L = luaL_newstate();

	luaL_openlibs(L);
	luaL_requiref(L, "errors", luaopen_errors, 1);
	lua_pop(L, 1);
	if (luaL_dostring(L, same_lua) != LUA_OK) {
		fprintf(stderr, "%s\n", lua_tostring(L, -1));
		abort();
	}
	return L;
}

/* Run code; its results stay on the stack.  Returns how many, or -1. */
static int
run(lua_State *L, const char *code)
{
	int	 base = lua_gettop(L);

	if (luaL_loadstring(L, code) != LUA_OK ||
	    lua_pcall(L, 0, LUA_MULTRET, 0) != LUA_OK) {
		fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
		lua_settop(L, base);
		return -1;
	}
	return lua_gettop(L) - base;
}

/*
 * Encode what code returns, decode it, and compare value by value; when
 * stable is set, re-encoding the decoded values must give the same bytes.
 */
static int
roundtrip(lua_State *L, const char *code, int stable)
{
	struct wbuf	 b = { 0 }, b2 = { 0 };
	char		 err[256];
	int		 base = lua_gettop(L), n, n2, i, ok = 1;

	if ((n = run(L, code)) < 0)
		return 0;
	if (value_encode(L, base + 1, n, &b, err, sizeof(err)) == -1) {
		fprintf(stderr, "encode %s: %s\n", code, err);
		ok = 0;
		goto out;
	}
	if (lua_gettop(L) != base + n ||
	    value_decode(L, b.data, b.len, &n2, err, sizeof(err)) == -1 ||
	    n2 != n || lua_gettop(L) != base + 2 * n) {
		fprintf(stderr, "decode %s: %s\n", code, err);
		ok = 0;
		goto out;
	}
	for (i = 1; i <= n; i++) {
		lua_getglobal(L, "same");
		lua_pushvalue(L, base + i);
		lua_pushvalue(L, base + n + i);
		lua_call(L, 2, 1);
		if (!lua_toboolean(L, -1)) {
			fprintf(stderr, "%s: value %d differs\n", code, i);
			ok = 0;
		}
		lua_pop(L, 1);
	}
	if (stable && (value_encode(L, base + n + 1, n, &b2, err,
	    sizeof(err)) == -1 || b2.len != b.len ||
	    memcmp(b.data, b2.data, b.len) != 0)) {
		fprintf(stderr, "%s: bytes not stable\n", code);
		ok = 0;
	}
out:
	lua_settop(L, base);
	wbuf_free(&b);
	wbuf_free(&b2);
	return ok;
}

/* Encoding what code returns must fail with want (a prefix if prefix). */
static int
refused(lua_State *L, const char *code, const char *want, int prefix)
{
	struct wbuf	 b = { 0 };
	char		 err[256] = "";
	int		 base = lua_gettop(L), n, ok = 1;

	if ((n = run(L, code)) < 0)
		return 0;
	wbuf_put(&b, "xyz", 3);
	if (value_encode(L, base + 1, n, &b, err, sizeof(err)) != -1)
		ok = 0;
	if (prefix ? strncmp(err, want, strlen(want)) != 0 :
	    strcmp(err, want) != 0) {
		fprintf(stderr, "%s: got \"%s\"\n", code, err);
		ok = 0;
	}
	if (b.len != 3 || memcmp(b.data, "xyz", 3) != 0 ||
	    lua_gettop(L) != base + n)
		ok = 0;
	lua_settop(L, base);
	wbuf_free(&b);
	return ok;
}

/* Decoding p must fail with an error that starts with want. */
static int
rejected(lua_State *L, const void *p, size_t len, const char *want)
{
	char	 err[256] = "";
	int	 base = lua_gettop(L), n = -1;

	if (value_decode(L, p, len, &n, err, sizeof(err)) != -1) {
		fprintf(stderr, "decoded %zu bytes, wanted \"%s\"\n", len,
		    want);
		lua_settop(L, base);
		return 0;
	}
	if (lua_gettop(L) != base || n != 0)
		return 0;
	if (want != NULL && strncmp(err, want, strlen(want)) != 0) {
		fprintf(stderr, "got \"%s\", wanted \"%s\"\n", err, want);
		return 0;
	}
	return 1;
}

static void
test_scalars(void)
{
	lua_State	*L = state_new();

	CHECK(roundtrip(L, "return nil", 1));
	CHECK(roundtrip(L, "return false, true", 1));
	CHECK(roundtrip(L, "return math.mininteger, math.maxinteger, 0, "
	    "-1, 1", 1));
	CHECK(roundtrip(L, "return 0.0, 0, -0.0, 1.5, -2.25e300, 5e-324", 1));
	CHECK(roundtrip(L, "return 1/0, -1/0, 0/0, -(0/0)", 1));
	CHECK(roundtrip(L, "return '', 'a\\0b\\0', '\\xff\\xfe\\xc3', "
	    "string.rep('x', 100000)", 1));
	CHECK(roundtrip(L, "return 3, 3.0", 1));
	/* same() is strict: these must be told apart. */
	CHECK(run(L, "assert(not same(0, 0.0) and not same(0.0, -0.0))") == 0);
	lua_close(L);
}

/* The byte layout is a documented interface: pin it. */
static void
test_layout(void)
{
	static const uint8_t want[] = {
	    3, 0, 0, 0,				/* three values */
	    3, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* -2 */
	    5, 2, 0, 0, 0, 'h', 'i',		/* "hi" */
	    6, 2, 0, 0, 0,			/* {10, 20, [4] = true} */
	    3, 10, 0, 0, 0, 0, 0, 0, 0,
	    3, 20, 0, 0, 0, 0, 0, 0, 0,
	    1, 0, 0, 0,
	    3, 4, 0, 0, 0, 0, 0, 0, 0, 2,
	};
	static const uint8_t negzero[] = {
	    1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0x80,
	};
	lua_State	*L = state_new();
	struct wbuf	 b = { 0 };
	char		 err[256];

	CHECK(run(L, "return -2, 'hi', {10, 20, nil, true}") == 3);
	CHECK(value_encode(L, 1, 3, &b, err, sizeof(err)) == 0);
	CHECK(b.len == sizeof(want) && memcmp(b.data, want, b.len) == 0);
	lua_settop(L, 0);
	b.len = 0;
	CHECK(run(L, "return -0.0") == 1);
	CHECK(value_encode(L, -1, 1, &b, err, sizeof(err)) == 0);
	CHECK(b.len == sizeof(negzero) && memcmp(b.data, negzero, b.len) == 0);
	lua_close(L);
	wbuf_free(&b);
}

/* A NaN's exact bits survive decode and re-encode. */
static void
test_nan_bits(void)
{
	static const uint8_t nan[] = {
	    1, 0, 0, 0, 4, 0x23, 0x01, 0, 0, 0, 0, 0xf8, 0x7f,
	};
	lua_State	*L = state_new();
	struct wbuf	 b = { 0 };
	lua_Number	 d;
	uint64_t	 bits;
	char		 err[256];
	int		 n;

	CHECK(value_decode(L, nan, sizeof(nan), &n, err, sizeof(err)) == 0);
	CHECK(n == 1 && lua_type(L, 1) == LUA_TNUMBER && !lua_isinteger(L, 1));
	d = lua_tonumber(L, 1);
	memcpy(&bits, &d, sizeof(bits));
	CHECK(bits == 0x7ff8000000000123ULL);
	CHECK(value_encode(L, 1, 1, &b, err, sizeof(err)) == 0);
	CHECK(b.len == sizeof(nan) && memcmp(b.data, nan, b.len) == 0);
	lua_close(L);
	wbuf_free(&b);
}

static void
test_tables(void)
{
	lua_State	*L = state_new();

	CHECK(roundtrip(L, "return {}", 1));
	CHECK(roundtrip(L, "return {1, 2, 3, 'x', false}", 1));
	CHECK(roundtrip(L, "return {1, nil, 3}", 1));
	CHECK(roundtrip(L, "return {[1] = 1, [3] = 3, [0] = 0, [-1] = -1}", 0));
	CHECK(roundtrip(L, "local t = {} for i = 1, 100 do t[i] = i end "
	    "for i = 1, 100, 7 do t[i] = nil end return t", 0));
	CHECK(roundtrip(L, "return {1, 2, x = 'y', [true] = false, "
	    "[false] = 0, [1.5] = 'f', [-0.5] = {}, ['a\\0b'] = 'nul', "
	    "[math.maxinteger] = 1, [1/0] = 'inf'}", 0));
	CHECK(roundtrip(L, "return {a = {b = {c = {1, {2, {3}}}}}}", 0));
	CHECK(roundtrip(L, "local s = {1} return {s, s, k = s}", 0));
	CHECK(roundtrip(L, "return setmetatable({1, x = 2}, "
	    "{__index = function() return 9 end, __len = function() "
	    "return 100 end, __pairs = function() error('no') end})", 0));
	/* A shared subtable arrives as two tables. */
	CHECK(run(L, "s = {1}; return {s, s}") == 1);
	{
		struct wbuf	 b = { 0 };
		char		 err[256];
		int		 n;

		CHECK(value_encode(L, 1, 1, &b, err, sizeof(err)) == 0);
		CHECK(value_decode(L, b.data, b.len, &n, err,
		    sizeof(err)) == 0 && n == 1);
		lua_setglobal(L, "got");
		CHECK(run(L, "assert(got[1] ~= got[2] and got[1][1] == 1 and "
		    "got[2][1] == 1)") == 0);
		wbuf_free(&b);
	}
	lua_close(L);
}

/*
 * The supervisor's corners of the encoding (supervisor/args.c): strings
 * it encodes decode here, and it finds the pids in what value.c encodes,
 * nested or not, at most max, and stops at bytes that are not values.
 */
static void
test_sup_args(void)
{
	lua_State	*L = state_new();
	struct wbuf	 b = { 0 };
	char		 err[256], w0[] = "a", w1[] = "", w2[] = "{x|0x1}";
	char		*words[] = { w0, w1, w2 };
	uint32_t	 ids[4];
	int		 n;

	args_encode_strings(&b, words, 3);
	CHECK(value_decode(L, b.data, b.len, &n, err, sizeof(err)) == 0);
	CHECK(n == 3 && strcmp(lua_tostring(L, 1), "a") == 0 &&
	    strcmp(lua_tostring(L, 2), "") == 0 &&
	    strcmp(lua_tostring(L, 3), "{x|0x1}") == 0);
	lua_settop(L, 0);
	b.len = 0;
	CHECK(run(L, "return '{app:p|0x00004}', 7, {sender = "
	    "'{app:p|0x00009}', data = 'hello', list = {1.5, "
	    "{'{h|0x0000a}'}, errors.new('{h|0x0000b}')}}, 'x{h|0x1}'") == 4);
	CHECK(value_encode(L, 1, 4, &b, err, sizeof(err)) == 0);
	n = (int)args_find_pids(b.data, b.len, ids, 4);
	/* Table order is Lua's: check as a set. */
	CHECK(n == 3 && ids[0] == 4);
	CHECK((ids[1] == 9 && ids[2] == 10) || (ids[1] == 10 && ids[2] == 9));
	CHECK(args_find_pids(b.data, b.len, ids, 1) == 1 && ids[0] == 4);
	CHECK(args_find_pids(b.data, b.len, ids, 0) == 0);
	/* Cut short, or with a tag that is none: what came before. */
	CHECK(args_find_pids(b.data, 4 + 1 + 4 + 15, ids, 4) == 1);
	CHECK(args_find_pids(b.data, 4 + 1 + 4 + 14, ids, 4) == 0);
	b.data[4 + 1 + 4 + 15] = 99;	/* the tag of 7 */
	CHECK(args_find_pids(b.data, b.len, ids, 4) == 1);
	CHECK(args_find_pids("\xff\xff\xff\xff", 4, ids, 4) == 0);
	wbuf_free(&b);
	lua_close(L);
}

static void
test_multi(void)
{
	lua_State	*L = state_new();
	struct wbuf	 b = { 0 };
	char		 err[256];
	int		 n;

	CHECK(roundtrip(L, "return 1, nil, nil, 'x', nil", 1));
	CHECK(roundtrip(L, "return nil, nil", 1));
	CHECK(roundtrip(L, "return", 1));
	CHECK(run(L, "return nil, 2, nil") == 3);
	CHECK(value_encode(L, 1, 3, &b, err, sizeof(err)) == 0);
	lua_settop(L, 0);
	CHECK(value_decode(L, b.data, b.len, &n, err, sizeof(err)) == 0);
	CHECK(n == 3 && lua_gettop(L) == 3 && lua_isnil(L, 1) &&
	    lua_tointeger(L, 2) == 2 && lua_isnil(L, 3));
	/* Zero values: the four-byte empty sequence. */
	b.len = 0;
	CHECK(value_encode(L, 1, 0, &b, err, sizeof(err)) == 0);
	CHECK(b.len == 4);
	lua_settop(L, 0);
	CHECK(value_decode(L, b.data, b.len, &n, err, sizeof(err)) == 0);
	CHECK(n == 0 && lua_gettop(L) == 0);
	lua_close(L);
	wbuf_free(&b);
}

static void
test_error_objects(void)
{
	lua_State	*L = state_new();

	CHECK(roundtrip(L, "return errors.new('plain')", 1));
	CHECK(roundtrip(L, "return errors.new{message = 'm\\0x', kind = "
	    "errors.NOT_FOUND, retryable = true, details = {a = 1}}", 1));
	CHECK(roundtrip(L, "return {err = errors.new{message = 'in', kind = "
	    "'Timeout'}, n = 1}", 0));
	CHECK(refused(L, "return {[errors.new('k')] = 1}",
	    "cannot send userdata as a table key (at arg 1)", 0));
	lua_close(L);
}

static void
test_depth(void)
{
	lua_State	*L = state_new();

	CHECK(roundtrip(L, "return nest(1)", 1));
	CHECK(roundtrip(L, "return nest(128)", 1));
	CHECK(roundtrip(L, "return 1, {x = nest(127)}", 1));
	CHECK(refused(L, "return nest(129)",
	    "table nested deeper than 128 (at arg 1.a.a.a.a", 1));
	CHECK(refused(L, "return 1, {x = nest(128)}",
	    "table nested deeper than 128 (at arg 2.x.a.a", 1));
	CHECK(refused(L, "return nest(10000)",
	    "table nested deeper than 128 (at arg 1.a.a", 1));
	/* The path is cut, and says so. */
	{
		char		 err[256];
		struct wbuf	 b = { 0 };

		CHECK(run(L, "return nest(129)") == 1);
		CHECK(value_encode(L, 1, 1, &b, err, sizeof(err)) == -1);
		CHECK(strlen(err) < 180 && strstr(err, "a.a...)") != NULL);
		lua_settop(L, 0);
		wbuf_free(&b);
	}
	lua_close(L);
}

static void
test_cycles(void)
{
	lua_State	*L = state_new();

	CHECK(refused(L, "local t = {} t.self = t return t",
	    "cyclic table (at arg 1.self)", 0));
	CHECK(refused(L, "local a = {b = {c = {}}} a.b.c.back = a "
	    "return 0, a", "cyclic table (at arg 2.b.c.back)", 0));
	CHECK(refused(L, "local t = {} t[1] = {t} return t",
	    "cyclic table (at arg 1[1][1])", 0));
	CHECK(refused(L, "local t = {} t.a = {t} return t",
	    "cyclic table (at arg 1.a[1])", 0));
	lua_close(L);
}

static int
dummy_cfunc(lua_State *L)
{
	lua_settop(L, 0);
	return 0;
}

static void
test_refused_types(void)
{
	lua_State	*L = state_new();
	struct wbuf	 b = { 0 };
	char		 err[256];

	CHECK(refused(L, "return 1, {handlers = {cb = function() end}}",
	    "cannot send function (at arg 2.handlers.cb)", 0));
	CHECK(refused(L, "return print", "cannot send function (at arg 1)",
	    0));
	CHECK(refused(L, "return {io.stdout}",
	    "cannot send userdata (at arg 1[1])", 0));
	CHECK(refused(L, "return {1, coroutine.create(print)}",
	    "cannot send thread (at arg 1[2])", 0));
	CHECK(refused(L, "return {['odd key'] = {[3] = {[true] = {[1.5] = "
	    "print}}}}", "cannot send function (at arg 1[\"odd key\"][3]"
	    "[true][1.5])", 0));
	CHECK(refused(L, "return {[{}] = 1}",
	    "cannot send table as a table key (at arg 1)", 0));
	CHECK(refused(L, "return {x = {[print] = 1}}",
	    "cannot send function as a table key (at arg 1.x)", 0));
	lua_pushlightuserdata(L, &b);
	CHECK(value_encode(L, 1, 1, &b, err, sizeof(err)) == -1);
	CHECK(strcmp(err, "cannot send light userdata (at arg 1)") == 0);
	lua_settop(L, 0);
	lua_pushcfunction(L, dummy_cfunc);
	CHECK(value_encode(L, 1, 1, &b, err, sizeof(err)) == -1);
	CHECK(b.len == 0 && lua_gettop(L) == 1);
	lua_close(L);
	wbuf_free(&b);
}

static void
test_size_limit(void)
{
	lua_State	*L = state_new();
	char		 want[64];

	snprintf(want, sizeof(want), "message larger than %u bytes",
	    VALUE_MAX_BYTES);
	CHECK(refused(L, "return string.rep('x', 16 << 20)", want, 0));
	CHECK(refused(L, "local s = string.rep('x', 1 << 20) local t = {} "
	    "for i = 1, 16 do t[i] = s end return t", want, 0));
	CHECK(refused(L, "local t = {} for i = 1, 2000000 do t[i] = 1.5 end "
	    "return t", want, 0));
	/* The largest string that fits: its tag and length take 9 bytes. */
	snprintf(want, sizeof(want), "return string.rep('y', %u - 9)",
	    VALUE_MAX_BYTES);
	CHECK(roundtrip(L, want, 1));
	lua_close(L);
}

/* A rich encoding that exercises every tag, for the hostile tests. */
static void
rich_encoding(lua_State *L, struct wbuf *b)
{
	char	 err[256];

	CHECK(run(L, "return nil, true, false, -7, 2.5, 'str', "
	    "{1, 'two', {x = 0/0 ~= 0/0, [2.5] = 'f'}, n = {}}, "
	    "errors.new{message = 'boom', kind = 'Internal', "
	    "retryable = true}") == 8);
	CHECK(value_encode(L, 1, 8, b, err, sizeof(err)) == 0);
	lua_settop(L, 0);
}

static void
test_truncations(void)
{
	lua_State	*L = state_new();
	struct wbuf	 b = { 0 }, t = { 0 };
	size_t		 i;
	int		 bad = 0;

	rich_encoding(L, &b);
	for (i = 0; i < b.len; i++) {
		/* A fresh copy, so valgrind sees reads past the end. */
		t.len = 0;
		wbuf_put(&t, b.data, i);
		if (!rejected(L, t.data, i, NULL))
			bad++;
	}
	CHECK(bad == 0);
	wbuf_put(&b, "", 1);
	CHECK(rejected(L, b.data, b.len, "1 trailing bytes"));
	lua_close(L);
	wbuf_free(&b);
	wbuf_free(&t);
}

static void
test_hostile(void)
{
	static const uint8_t count[] = { 0xff, 0xff, 0xff, 0xff, 0, 0 };
	static const uint8_t arr[] = { 1, 0, 0, 0, 6, 0xff, 0xff, 0xff, 0xff,
	    0, 0, 0, 0 };
	static const uint8_t arr2[] = { 1, 0, 0, 0, 6, 0, 0, 0, 0x10,
	    0, 0, 0, 0 };
	static const uint8_t hash[] = { 1, 0, 0, 0, 6, 0, 0, 0, 0,
	    0xff, 0xff, 0xff, 0xff, 2, 2 };
	static const uint8_t str[] = { 1, 0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff,
	    'a' };
	static const uint8_t tag8[] = { 1, 0, 0, 0, 8 };
	static const uint8_t tag255[] = { 1, 0, 0, 0, 0xff };
	static const uint8_t nankey[] = { 1, 0, 0, 0, 6, 0, 0, 0, 0,
	    1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 2 };
	static const uint8_t nilkey[] = { 1, 0, 0, 0, 6, 0, 0, 0, 0,
	    1, 0, 0, 0, 0, 2 };
	static const uint8_t tblkey[] = { 1, 0, 0, 0, 6, 0, 0, 0, 0,
	    1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
	static const uint8_t nilval[] = { 1, 0, 0, 0, 6, 1, 0, 0, 0, 0,
	    0, 0, 0, 0 };
	static const uint8_t nilhval[] = { 1, 0, 0, 0, 6, 0, 0, 0, 0,
	    1, 0, 0, 0, 2, 0 };
	static const uint8_t retry[] = { 1, 0, 0, 0, 7, 0, 0, 0, 0,
	    0, 0, 0, 0, 2 };
	static const uint8_t dupkey[] = { 1, 0, 0, 0, 6, 0, 0, 0, 0,
	    2, 0, 0, 0, 2, 1, 2, 2 };
	lua_State	*L = state_new();
	char		 err[256];
	int		 n;

	CHECK(rejected(L, "", 0, "truncated value"));
	CHECK(rejected(L, count, sizeof(count), "value count 4294967295"));
	CHECK(rejected(L, arr, sizeof(arr), "array count 4294967295"));
	CHECK(rejected(L, arr2, sizeof(arr2), "array count 268435456"));
	CHECK(rejected(L, hash, sizeof(hash), "hash count 4294967295"));
	CHECK(rejected(L, str, sizeof(str), "truncated value"));
	CHECK(rejected(L, tag8, sizeof(tag8), "unknown value tag 8"));
	CHECK(rejected(L, tag255, sizeof(tag255), "unknown value tag 255"));
	CHECK(rejected(L, nankey, sizeof(nankey), "NaN table key"));
	CHECK(rejected(L, nilkey, sizeof(nilkey), "nil table key"));
	CHECK(rejected(L, tblkey, sizeof(tblkey), "table key of tag 6"));
	CHECK(rejected(L, nilval, sizeof(nilval), "nil value in table"));
	CHECK(rejected(L, nilhval, sizeof(nilhval), "nil value in table"));
	CHECK(rejected(L, retry, sizeof(retry), "bad retryable flag 2"));
	/* A repeated key is accepted: the last one wins. */
	CHECK(value_decode(L, dupkey, sizeof(dupkey), &n, err,
	    sizeof(err)) == 0 && n == 1);
	lua_setglobal(L, "got");
	CHECK(run(L, "assert(got[true] == true and next(got, next(got)) == "
	    "nil)") == 0);
	lua_close(L);
}

/* depth nested tables, each holding the next in its array part. */
static void
nested_bytes(struct wbuf *b, int depth)
{
	int	 i;

	b->len = 0;
	wbuf_put_u32(b, 1);
	for (i = 1; i < depth; i++) {
		wbuf_put_u8(b, VALUE_T_TABLE);
		wbuf_put_u32(b, 1);
	}
	wbuf_put_u8(b, VALUE_T_TABLE);
	wbuf_put_u32(b, 0);
	wbuf_put_u32(b, 0);
	for (i = 1; i < depth; i++)
		wbuf_put_u32(b, 0);
}

static void
test_deep_bytes(void)
{
	lua_State	*L = state_new();
	struct wbuf	 b = { 0 };
	char		 err[256];
	int		 n;

	nested_bytes(&b, 128);
	CHECK(value_decode(L, b.data, b.len, &n, err, sizeof(err)) == 0);
	CHECK(n == 1);
	lua_setglobal(L, "got");
	CHECK(run(L, "local d = 0 local t = got while t do d = d + 1 "
	    "t = t[1] end assert(d == 128)") == 0);
	nested_bytes(&b, 129);
	CHECK(rejected(L, b.data, b.len, "table nested deeper than 128"));
	nested_bytes(&b, 100000);
	CHECK(rejected(L, b.data, b.len, "table nested deeper than 128"));
	lua_close(L);
	wbuf_free(&b);
}

/* Two million nils is a valid sequence, but no Lua stack holds it. */
static void
test_too_many_values(void)
{
	lua_State	*L = state_new();
	struct wbuf	 b = { 0 };
	uint32_t	 i, count = 2000000;

	wbuf_put_u32(&b, count);
	for (i = 0; i < count; i++)
		wbuf_put_u8(&b, VALUE_T_NIL);
	CHECK(rejected(L, b.data, b.len, "stack overflow"));
	CHECK(lua_checkstack(L, 10));
	lua_close(L);
	wbuf_free(&b);
}

static uint64_t
prng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Decode one buffer: either outcome is fine, but the stack must be right.
 * Returns 2 decoded, 1 rejected, 0 wrong.
 */
static int
decode_any(lua_State *L, const uint8_t *p, size_t len)
{
	char	 err[256];
	int	 n, rc;

	rc = value_decode(L, p, len, &n, err, sizeof(err));
	if (rc == 0 && lua_gettop(L) != n)
		return 0;
	if (rc == -1 && lua_gettop(L) != 0)
		return 0;
	lua_settop(L, 0);
	return rc == 0 ? 2 : 1;
}

static void
test_random(void)
{
	lua_State	*L = state_new();
	struct wbuf	 rich = { 0 }, t = { 0 };
	uint64_t	 seed = 0x9e3779b97f4a7c15ULL;
	size_t		 len, j, k;
	int		 i, bad = 0, decoded = 0;
	uint8_t		 byte;

	for (i = 0; i < 10000; i++) {
		len = prng_next(&seed) % 48;
		t.len = 0;
		/* Half start with a small count, to get past the header. */
		if (i % 2 == 0 && len >= 4) {
			wbuf_put_u32(&t, (uint32_t)(prng_next(&seed) % 4));
			len -= 4;
		}
		for (j = 0; j < len; j++) {
			/* Mostly small bytes: valid tags and short counts. */
			byte = (uint8_t)prng_next(&seed);
			wbuf_put_u8(&t, i % 3 ? byte % 9 : byte);
		}
		switch (decode_any(L, t.data, t.len)) {
		case 0:
			bad++;
			break;
		case 2:
			decoded++;
			break;
		}
	}
	rich_encoding(L, &rich);
	for (i = 0; i < 10000; i++) {
		t.len = 0;
		wbuf_put(&t, rich.data, rich.len);
		for (k = 0; k < 1 + prng_next(&seed) % 3; k++)
			t.data[prng_next(&seed) % t.len] =
			    (uint8_t)prng_next(&seed);
		if (!decode_any(L, t.data, t.len))
			bad++;
	}
	CHECK(bad == 0);
	CHECK(decoded > 0);
	lua_close(L);
	wbuf_free(&rich);
	wbuf_free(&t);
}

/* fmtvalue of what code returns, compared with want. */
static int
formats(lua_State *L, const char *code, const char *want)
{
	struct wbuf	 b = { 0 };
	int		 ok;

	if (run(L, code) != 1)
		return 0;
	fmtvalue_append(L, -1, &b);
	wbuf_put_u8(&b, '\0');
	ok = strcmp((char *)b.data, want) == 0 && lua_gettop(L) == 1;
	if (!ok)
		fprintf(stderr, "%s: got %s, wanted %s\n", code,
		    (char *)b.data, want);
	lua_settop(L, 0);
	wbuf_free(&b);
	return ok;
}

/* n levels of {"a": around inner, after open; closed to match. */
static const char *
nested_text(int n, const char *inner, const char *open)
{
	static char	 buf[1024];
	int		 i;

	snprintf(buf, sizeof(buf), "%s", open);
	for (i = 0; i < n; i++)
		strcat(buf, "{\"a\":");
	strcat(buf, inner);
	for (i = 0; i < n; i++)
		strcat(buf, "}");
	if (*open == '[')
		strcat(buf, "]");
	return buf;
}

static void
test_fmtvalue(void)
{
	lua_State	*L = state_new();

	CHECK(formats(L, "return nil", "null"));
	CHECK(formats(L, "return true", "true"));
	CHECK(formats(L, "return math.mininteger", "-9223372036854775808"));
	CHECK(formats(L, "return 1.5", "1.5"));
	CHECK(formats(L, "return 2.0", "2.0"));
	CHECK(formats(L, "return -1e100", "-1e+100"));
	CHECK(formats(L, "return 0/0", "\"nan\""));
	CHECK(formats(L, "return -1/0", "\"-inf\""));
	/* As json.encode has it: DEL is valid JSON and stays. */
	CHECK(formats(L, "return 'a\"b\\\\c\\n\\t\\1\\127'",
	    "\"a\\\"b\\\\c\\n\\t\\u0001\x7f\""));
	CHECK(formats(L, "return 'caf\\xc3\\xa9 \\xe2\\x82\\xac "
	    "\\xf0\\x9f\\x98\\x80'",
	    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""));
	CHECK(formats(L, "return '\\xff\\xc3 \\xc0\\x80\\xed\\xa0\\x80'",
	    "\"\\ufffd\\ufffd \\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\""));
	CHECK(formats(L, "return 'a\\0b'", "\"a\\u0000b\""));
	CHECK(formats(L, "return {}", "{}"));
	CHECK(formats(L, "return {1, 'two', {3}}", "[1,\"two\",[3]]"));
	CHECK(formats(L, "return {1, nil, 3}", "{\"1\":1,\"3\":3}"));
	CHECK(formats(L, "return {b = 1, a = 2, [10] = 3, [2] = 4, "
	    "[true] = 5, [1.5] = 6, aa = 7}",
	    "{\"1.5\":6,\"2\":4,\"10\":3,\"a\":2,\"aa\":7,\"b\":1,"
	    "\"true\":5}"));
	CHECK(formats(L, "return {f = print, e = errors.new('bad \"x\"'), "
	    "c = coroutine.create(print)}",
	    "{\"c\":\"<thread>\",\"e\":\"bad \\\"x\\\"\",\"f\":\"<function>\"}"));
	CHECK(formats(L, "local t = {n = 1} t.self = t return t",
	    "{\"n\":1,\"self\":\"<...>\"}"));
	CHECK(formats(L, "local s = {1} return {s, s}", "[[1],[1]]"));
	CHECK(formats(L, "return setmetatable({x = 1}, {__index = "
	    "function() error('no') end, __pairs = function() error('no') "
	    "end, __tostring = function() error('no') end})", "{\"x\":1}"));
	CHECK(formats(L, "return nest(32)", nested_text(31, "{}", "")));
	CHECK(formats(L, "return {nest(32)}",
	    nested_text(31, "\"<...>\"", "[")));
	CHECK(formats(L, "return {[{}] = 1}", "{\"<table>\":1}"));
	lua_close(L);
}

/* Log lines go to stderr: catch them in a file for the length of code. */
static char *
captured(lua_State *L, const char *code)
{
	static char	 buf[8192];
	FILE		*f;
	ssize_t		 n;
	int		 saved;

	fflush(stderr);
	if ((f = tmpfile()) == NULL || (saved = dup(2)) == -1 ||
	    dup2(fileno(f), 2) == -1) {
		perror("capture");
		exit(1);
	}
	if (run(L, code) < 0)
		snprintf(buf, sizeof(buf), "<lua error>");
	else {
		lseek(fileno(f), 0, SEEK_SET);
		n = read(fileno(f), buf, sizeof(buf) - 1);
		buf[n < 0 ? 0 : n] = '\0';
	}
	dup2(saved, 2);
	close(saved);
	fclose(f);
	lua_settop(L, 0);
	return buf;
}

static int
logged(lua_State *L, const char *code, const char *want)
{
	const char	*got = captured(L, code);

	if (want == NULL ? *got == '\0' : strstr(got, want) != NULL)
		return 1;
	fprintf(stderr, "%s: logged \"%s\", wanted \"%s\"\n", code, got,
	    want ? want : "");
	return 0;
}

static void
test_logger(void)
{
	lua_State	*L = state_new();

	shim.entry = (char *)(uintptr_t)"app:worker";
	shim.pid = (char *)(uintptr_t)"{app:processes|0x00004}";
	shim.log_level = LOG_DEBUG;
	log_init(LOG_DEBUG, "test");
	luaL_requiref(L, "logger", luaopen_logger, 1);
	lua_pop(L, 1);
	lua_register(L, "print", logger_lua_print);

	CHECK(logged(L, "logger:info('started', {b = 'x y', a = 1, "
	    "t = {1, 2}})", " INFO  app:worker {app:processes|0x00004} "
	    "started a=1 b=\"x y\" t=[1,2]\n"));
	CHECK(logged(L, "logger:with({svc = 'echo'}):named('relay')"
	    ":warn('hi', {z = true})", " WARN  app:worker "
	    "{app:processes|0x00004} [relay] hi svc=\"echo\" z=true\n"));
	CHECK(logged(L, "logger:named('a'):named('b'):with({x = 1})"
	    ":with({y = 2}):error('e')", "ERROR app:worker "
	    "{app:processes|0x00004} [a.b] e x=1 y=2\n"));
	CHECK(logged(L, "logger:with({a = 1, b = 1}):debug('m', {a = 2})",
	    "DEBUG app:worker {app:processes|0x00004} m a=2 b=1\n"));
	CHECK(logged(L, "logger:info('two\\nlines\\1', {['odd key'] = 1, "
	    "[5] = 'v'})", "} two\\nlines\\x01 5=\"v\" \"odd key\"=1\n"));
	CHECK(logged(L, "logger:error(errors.new('boom'), {error = "
	    "errors.new('bad')})", "} boom error=\"bad\"\n"));
	CHECK(logged(L, "logger.info('no self')", "} no self\n"));
	CHECK(logged(L, "local base = logger:with({k = 1}) "
	    "base:with({j = 2}) base:info('base')", "} base k=1\n"));
	CHECK(logged(L, "print(1, nil, 'x', 2.5, errors.new('E'))",
	    " INFO  app:worker {app:processes|0x00004} 1 nil x 2.5 E\n"));
	CHECK(logged(L, "print()", " INFO  app:worker "
	    "{app:processes|0x00004} \n"));
	CHECK(run(L, "assert(not pcall(logger.info, logger, 'x', 'notab'))")
	    == 0);
	CHECK(run(L, "assert(not pcall(logger.named, logger))") == 0);

	/* Below the level nothing is formatted: no __tostring runs. */
	shim.log_level = LOG_WARN;
	CHECK(logged(L, "local bomb = setmetatable({}, {__tostring = "
	    "function() error('formatted') end}) logger:info(bomb) "
	    "logger:debug(bomb, {x = bomb}) print(bomb)", NULL));
	CHECK(logged(L, "logger:warn('w')", " WARN  "));
	shim.log_level = LOG_OFF;
	CHECK(logged(L, "logger:error('e')", NULL));
	lua_close(L);
}

int
main(void)
{
	RUN(test_scalars);
	RUN(test_layout);
	RUN(test_nan_bits);
	RUN(test_tables);
	RUN(test_multi);
	RUN(test_sup_args);
	RUN(test_error_objects);
	RUN(test_depth);
	RUN(test_cycles);
	RUN(test_refused_types);
	RUN(test_size_limit);
	RUN(test_truncations);
	RUN(test_hostile);
	RUN(test_deep_bytes);
	RUN(test_too_many_values);
	RUN(test_random);
	RUN(test_fmtvalue);
	RUN(test_logger);
	UNIT_EXIT();
}
