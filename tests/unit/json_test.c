/*
 * json_test.c: the json module (mod_json.c): round trips, every escape,
 * surrogate pairs, integers against floats, big numbers, the refusals of
 * the encoder, each class of malformed input to the decoder, deep
 * nesting, memory errors, and random bytes that must never crash it.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "mod_errors.h"
#include "sandbox.h"
#include "unit.h"

/*
 * Helpers the Lua snippets use.  same() tells 1 from 1.0 and -0.0 from
 * 0; enc/dec fail loudly; bad_enc/bad_dec want nil and an Invalid error
 * whose message contains the given text.
 */
static const char helpers_lua[] =
    "function same(a, b)\n"
    "  if type(a) ~= type(b) then return false end\n"
    "  if type(a) == 'number' then\n"
    "    if math.type(a) ~= math.type(b) then return false end\n"
    "    if a == 0 and b == 0 then return 1/a == 1/b end\n"
    "    return a == b\n"
    "  end\n"
    "  if type(a) ~= 'table' then return a == b end\n"
    "  for k, v in next, a do\n"
    "    if not same(v, rawget(b, k)) then return false end\n"
    "  end\n"
    "  for k in next, b do\n"
    "    if rawget(a, k) == nil then return false end\n"
    "  end\n"
    "  return true\n"
    "end\n"
    "function enc(v)\n"
    "  local s, e = json.encode(v)\n"
    "  if s == nil or e ~= nil then error('encode: ' .. tostring(e), 2) end\n"
    "  assert(type(s) == 'string')\n"
    "  return s\n"
    "end\n"
    "function dec(s)\n"
    "  local v, e = json.decode(s)\n"
    "  if e ~= nil then error('decode ' .. s .. ': ' .. tostring(e), 2) end\n"
    "  return v\n"
    "end\n"
    "function expect(s, want)\n"
    "  if s ~= want then\n"
    "    error(string.format('got %q, want %q', tostring(s), want), 2)\n"
    "  end\n"
    "end\n"
    "local function bad(what, arg, v, e, want)\n"
    "  if v ~= nil or e == nil or e:kind() ~= 'Invalid' then\n"
    "    error(string.format('%s %q: got %s, %s', what, tostring(arg),\n"
    "        tostring(v), tostring(e)), 3)\n"
    "  end\n"
    "  if want and not string.find(e:message(), want, 1, true) then\n"
    "    error(string.format('%s %q: message %q lacks %q', what,\n"
    "        tostring(arg), e:message(), want), 3)\n"
    "  end\n"
    "end\n"
    "function bad_dec(s, want)\n"
    "  local v, e = json.decode(s)\n"
    "  bad('decode', s, v, e, want)\n"
    "end\n"
    "function bad_enc(x, want)\n"
    "  local v, e = json.encode(x)\n"
    "  bad('encode', x, v, e, want)\n"
    "end\n"
    "function nest(n, open, close)\n"
    "  return string.rep(open, n) .. string.rep(close, n)\n"
    "end\n";

static lua_State *
new_state(void)
{
	lua_State	*L = luaL_newstate();

	if (L == NULL)
		abort();
	luaL_openlibs(L);
	luaL_requiref(L, "errors", luaopen_errors, 1);
	luaL_requiref(L, "json", luaopen_json, 1);
	lua_pop(L, 2);
	if (luaL_dostring(L, helpers_lua) != LUA_OK) {
		fprintf(stderr, "helpers: %s\n", lua_tostring(L, -1));
		abort();
	}
	return L;
}

/* Run a snippet that raises on failure; 1 if it did not. */
static int
lua_run(lua_State *L, const char *code)
{
	if (luaL_dostring(L, code) == LUA_OK) {
		lua_settop(L, 0);
		return 1;
	}
	fprintf(stderr, "%s\n", lua_tostring(L, -1));
	lua_settop(L, 0);
	return 0;
}

static void
test_roundtrip(void)
{
	lua_State	*L = new_state();

	CHECK(lua_run(L,
	    "local vals = {\n"
	    "  true, false, 0, -1, 42, math.maxinteger, math.mininteger,\n"
	    "  0.5, -2.25, 1e-300, 1e300, 2^-1074, 1.7976931348623157e308,\n"
	    "  1/3, math.pi, '', 'plain', 'tab\\tnl\\n', 'caf\\u{e9}',\n"
	    "  '\\u{1f600}', '\\0nul', {}, {1, 2, 3}, {{}, {{}}, {{{}}}},\n"
	    "  {a = 1, b = {c = {d = {'x', 'y', {z = false}}}}},\n"
	    "  {[''] = 1, [' '] = 2, ['\\u{2603}'] = {0.1, -0}},\n"
	    "  {list = {1, 'two', 3.5, {four = 4}}, name = 'n', ok = true},\n"
	    "}\n"
	    "for i, v in ipairs(vals) do\n"
	    "  local s = enc(v)\n"
	    "  local back = dec(s)\n"
	    "  if not same(v, back) then error('round trip ' .. i .. ': ' .. s) end\n"
	    "  expect(enc(back), s)\n"
	    "end\n"));
	/* Canonical texts come back byte for byte. */
	CHECK(lua_run(L,
	    "for _, s in ipairs {\n"
	    "  'null', 'true', '0', '-7', '0.5', '1e+300', '\"\"', '[]',\n"
	    "  '[1,[2,[3,[4]]]]', '{\"a\":{\"b\":{\"c\":[true,false]}}}',\n"
	    "  '{\"\":0,\"A\":1,\"a\":2,\"aa\":3,\"b\":[\"x\",\"y\"]}',\n"
	    "  '[\"\\\\\"\\\\\\\\\\\\n\"]',\n"
	    "} do expect(enc(dec(s)), s) end\n"));
	/* Whitespace of every kind is skipped. */
	CHECK(lua_run(L,
	    "local v = dec(' \\t\\r\\n{ \"a\" :\\n[ 1 ,\\t2 ] , \"b\" : null }\\n ')\n"
	    "assert(same(v, {a = {1, 2}}))\n"));
	lua_close(L);
}

static void
test_shapes(void)
{
	lua_State	*L = new_state();

	CHECK(lua_run(L,
	    "expect(enc({}), '[]')\n"
	    "expect(enc({{}, {}}), '[[],[]]')\n"
	    "expect(enc(nil), 'null')\n"
	    "expect(json.encode(), 'null')\n"
	    "expect(enc({b = 1, a = 2, c = 3, B = 4, aa = 5}),\n"
	    "    '{\"B\":4,\"a\":2,\"aa\":5,\"b\":1,\"c\":3}')\n"
	    "expect(enc({['\\xff'] = 1, ['\\x7f'] = 2, ['\\0'] = 3}),\n"
	    "    '{\"\\\\u0000\":3,\"\\x7f\":2,\"\\\\ufffd\":1}')\n"
	    /* Keys that are not 1..n become text. */
	    "expect(enc({[0] = 'z', [-3] = 'm'}), '{\"-3\":\"m\",\"0\":\"z\"}')\n"
	    "expect(enc({[1.5] = 1, [true] = 2, [false] = 3}),\n"
	    "    '{\"1.5\":1,\"false\":3,\"true\":2}')\n"
	    /* Same key order whatever the insertion order. */
	    "local t1, t2 = {}, {}\n"
	    "for i = 1, 200 do t1['k' .. i] = i end\n"
	    "for i = 200, 1, -1 do t2['k' .. i] = i end\n"
	    "expect(enc(t1), enc(t2))\n"
	    /* Metatables are ignored: the raw contents are written. */
	    "local m = setmetatable({x = 1}, {__index = function() return 9 end,\n"
	    "    __pairs = function() error('no') end})\n"
	    "expect(enc(m), '{\"x\":1}')\n"
	    /* A table shared by two branches is not a cycle. */
	    "local s = {1}\n"
	    "expect(enc({s, s, {s}}), '[[1],[1],[[1]]]')\n"
	    /* Error objects are written as their message. */
	    "expect(enc({err = errors.new('boom \"x\"')}),\n"
	    "    '{\"err\":\"boom \\\\\"x\\\\\"\"}')\n"
	    /* Nulls: absent members, holes in arrays. */
	    "local v = dec('[1,null,3,null]')\n"
	    "assert(v[1] == 1 and v[2] == nil and v[3] == 3 and v[4] == nil)\n"
	    "assert(next(dec('{\"a\":null}')) == nil)\n"
	    "assert(dec('{\"a\":1,\"a\":2}').a == 2)\n"
	    "assert(dec('{\"a\":1,\"a\":null}').a == nil)\n"
	    "local n, e = json.decode('null')\n"
	    "assert(n == nil and e == nil)\n"
	    "assert(select('#', json.decode('null')) == 1)\n"));
	lua_close(L);
}

static void
test_escapes(void)
{
	lua_State	*L = new_state();

	/* Every control byte, and the two that always need a backslash. */
	CHECK(lua_run(L,
	    "local short = {[8] = '\\\\b', [9] = '\\\\t', [10] = '\\\\n',\n"
	    "    [12] = '\\\\f', [13] = '\\\\r'}\n"
	    "for c = 0, 31 do\n"
	    "  local want = short[c] or string.format('\\\\u%04x', c)\n"
	    "  expect(enc(string.char(c)), '\"' .. want .. '\"')\n"
	    "  assert(dec('\"' .. want .. '\"') == string.char(c))\n"
	    "end\n"
	    "expect(enc('\"'), '\"\\\\\"\"')\n"
	    "expect(enc('\\\\'), '\"\\\\\\\\\"')\n"
	    "expect(enc('/'), '\"/\"')\n"
	    "expect(enc('\\x7f <>&'), '\"\\x7f <>&\"')\n"
	    "for c = 32, 126 do\n"
	    "  local s = string.char(c)\n"
	    "  if s ~= '\"' and s ~= '\\\\' then expect(enc(s), '\"' .. s .. '\"') end\n"
	    "end\n"
	    "expect(enc('\\u{2028}x\\u{2029}'), '\"\\\\u2028x\\\\u2029\"')\n"
	    "expect(enc('caf\\u{e9} \\u{10ffff}'), '\"caf\\u{e9} \\u{10ffff}\"')\n"));
	/* Every escape the decoder knows, upper and lower case hex. */
	CHECK(lua_run(L,
	    "local cases = {\n"
	    "  {'\\\\\"', '\"'}, {'\\\\\\\\', '\\\\'}, {'\\\\/', '/'},\n"
	    "  {'\\\\b', '\\b'}, {'\\\\f', '\\f'}, {'\\\\n', '\\n'},\n"
	    "  {'\\\\r', '\\r'}, {'\\\\t', '\\t'}, {'\\\\u0000', '\\0'},\n"
	    "  {'\\\\u0041', 'A'}, {'\\\\u00e9', '\\u{e9}'}, {'\\\\u00E9', '\\u{e9}'},\n"
	    "  {'\\\\u07ff', '\\u{7ff}'}, {'\\\\u0800', '\\u{800}'},\n"
	    "  {'\\\\uFFFF', '\\u{ffff}'}, {'\\\\uFfFe', '\\u{fffe}'},\n"
	    "  {'a\\\\nb\\\\tc', 'a\\nb\\tc'}, {'\\\\\\\\u0041', '\\\\u0041'},\n"
	    "}\n"
	    "for _, c in ipairs(cases) do\n"
	    "  local got = dec('\"' .. c[1] .. '\"')\n"
	    "  if got ~= c[2] then error('escape ' .. c[1]) end\n"
	    "end\n"
	    /* Raw UTF-8 passes both ways untouched. */
	    "local s = '\\u{7f}\\u{80}\\u{7ff}\\u{800}\\u{ffff}\\u{10000}\\u{10ffff}'\n"
	    "assert(dec(enc(s)) == s)\n"
	    "expect(enc(s), '\"' .. s .. '\"')\n"));
	/* Invalid UTF-8 in a Lua string: one \ufffd per bad byte. */
	CHECK(lua_run(L,
	    "local F = '\\\\ufffd'\n"
	    "local cases = {\n"
	    "  {'\\xff', F}, {'a\\x80b', 'a' .. F .. 'b'},\n"
	    "  {'\\xc0\\x80', F .. F}, {'\\xc1\\xbf', F .. F},\n"
	    "  {'\\xe0\\x80\\x80', F .. F .. F}, {'\\xed\\xa0\\x80', F .. F .. F},\n"
	    "  {'\\xf0\\x80\\x80\\x80', F .. F .. F .. F},\n"
	    "  {'\\xf4\\x90\\x80\\x80', F .. F .. F .. F}, {'\\xf5', F},\n"
	    "  {'\\xe2\\x82', F .. F}, {'\\xe2\\x82x', F .. F .. 'x'},\n"
	    "  {'\\xf0\\x9f\\x98', F .. F .. F},\n"
	    "}\n"
	    "for _, c in ipairs(cases) do expect(enc(c[1]), '\"' .. c[2] .. '\"') end\n"));
	lua_close(L);
}

static void
test_surrogates(void)
{
	lua_State	*L = new_state();

	CHECK(lua_run(L,
	    "assert(dec('\"\\\\ud83d\\\\ude00\"') == '\\u{1f600}')\n"
	    "assert(dec('\"\\\\uD83D\\\\uDE00\"') == '\\u{1f600}')\n"
	    "assert(dec('\"\\\\ud800\\\\udc00\"') == '\\u{10000}')\n"
	    "assert(dec('\"\\\\udbff\\\\udfff\"') == '\\u{10ffff}')\n"
	    "assert(dec('\"x\\\\ud834\\\\udd1ey\"') == 'x\\u{1d11e}y')\n"
	    "bad_dec('\"\\\\ud800\"', 'lone high surrogate \\\\ud800 at 1:2')\n"
	    "bad_dec('\"\\\\udbff\"', 'lone high surrogate')\n"
	    "bad_dec('\"\\\\udc00\"', 'lone low surrogate \\\\udc00 at 1:2')\n"
	    "bad_dec('\"\\\\udfff\\\\ud800\"', 'lone low surrogate')\n"
	    "bad_dec('\"\\\\ude00\\\\ud83d\"', 'lone low surrogate')\n"
	    "bad_dec('\"\\\\ud800x\"', 'lone high surrogate')\n"
	    "bad_dec('\"\\\\ud800\\\\n\"', 'lone high surrogate')\n"
	    "bad_dec('\"\\\\ud800\\\\u0041\"', 'lone high surrogate')\n"
	    "bad_dec('\"\\\\ud800\\\\ud800\"', 'lone high surrogate')\n"
	    "bad_dec('\"\\\\ud800\\\\udc0\"', 'in \\\\u escape')\n"
	    "bad_dec('\"\\\\ud800\\\\u', 'end of input')\n"
	    "bad_dec('\"\\\\ud800\\\\', 'end of input in string at 1:9')\n"
	    "bad_dec('\"\\\\ud800', 'end of input in string at 1:8')\n"
	    /* A raw encoded surrogate is invalid UTF-8. */
	    "bad_dec('\"\\xed\\xa0\\x80\"', 'invalid UTF-8 in string at 1:2')\n"));
	lua_close(L);
}

static void
test_numbers(void)
{
	lua_State	*L = new_state();

	CHECK(lua_run(L,
	    "local out = {\n"
	    "  {0, '0'}, {-0, '0'}, {1, '1'}, {-1, '-1'},\n"
	    "  {math.maxinteger, '9223372036854775807'},\n"
	    "  {math.mininteger, '-9223372036854775808'},\n"
	    "  {1.0, '1'}, {-0.0, '0'}, {2.0^53, '9007199254740992'},\n"
	    "  {-2.0^62, '-4611686018427387904'}, {2.0^63, '9.223372036854776e+18'},\n"
	    "  {0.1, '0.1'}, {-2.5, '-2.5'}, {1/3, '0.3333333333333333'},\n"
	    "  {1e300, '1e+300'}, {1e-7, '1e-07'}, {5e-324, '4.94065645841247e-324'},\n"
	    "  {1.7976931348623157e308, '1.7976931348623157e+308'},\n"
	    "  {0.30000000000000004, '0.30000000000000004'}, {123.456, '123.456'},\n"
	    "}\n"
	    "for _, c in ipairs(out) do expect(enc(c[1]), c[2]) end\n"
	    "local into = {\n"
	    "  {'0', 0}, {'-0', 0}, {'7', 7}, {'-7', -7}, {'1.0', 1.0},\n"
	    "  {'-0.0', -0.0}, {'1e2', 100.0}, {'1E2', 100.0}, {'1e+2', 100.0},\n"
	    "  {'1e-2', 0.01}, {'2.5E-3', 0.0025}, {'0.5', 0.5},\n"
	    "  {'123456789012345678', 123456789012345678},\n"
	    "  {'1234567890123456789', 1234567890123456789},\n"
	    "  {'9223372036854775807', math.maxinteger},\n"
	    "  {'-9223372036854775808', math.mininteger},\n"
	    "  {'9223372036854775808', 9223372036854775808.0},\n"
	    "  {'-9223372036854775809', -9223372036854775809.0},\n"
	    "  {'100000000000000000000', 1e20}, {'1e-999', 0.0}, {'-1e-999', -0.0},\n"
	    "  {'1.7976931348623157e308', 1.7976931348623157e308},\n"
	    "  {'0.30000000000000004', 0.30000000000000004},\n"
	    "  {'[1,1.0,-0]', {1, 1.0, 0}},\n"
	    "}\n"
	    "for _, c in ipairs(into) do\n"
	    "  if not same(dec(c[1]), c[2]) then error('decode ' .. c[1]) end\n"
	    "end\n"
	    "local big = '1' .. string.rep('0', 400)\n"
	    "bad_dec(big, 'number out of range at 1:1')\n"
	    "bad_dec('[1e999]', 'number out of range at 1:2')\n"
	    "bad_dec('-1e400', 'number out of range')\n"
	    "assert(dec(string.rep('9', 300) .. 'e-300') > 0.9)\n"
	    "assert(math.type(dec('1' .. string.rep('0', 30))) == 'float')\n"));
	lua_close(L);
}

static uint64_t	 rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Call json.NAME on the value at the top, replacing it by 2 results. */
static int
call_json(lua_State *L, const char *name)
{
	lua_getglobal(L, "json");
	lua_getfield(L, -1, name);
	lua_remove(L, -2);
	lua_insert(L, -2);
	return lua_pcall(L, 1, 2, 0);
}

/* Random doubles come back with the same bits (integral ones as ints). */
static void
test_random_doubles(void)
{
	lua_State	*L = new_state();
	uint64_t	 bits;
	double		 d, back;
	int		 i, bad = 0, was = 0;

	for (i = 0; i < 20000 && bad < 5; i++) {
		bits = rng();
		if (i % 4 == 0)		/* also plain magnitudes */
			bits = (bits & 0x800fffffffffffffULL) |
			    ((uint64_t)(1023 + (int)(rng() % 80) - 40) << 52);
		memcpy(&d, &bits, sizeof(d));
		if (!isfinite(d))
			continue;
		lua_pushnumber(L, d);
		if (call_json(L, "encode") != LUA_OK || !lua_isstring(L, -2)) {
			bad++;
			lua_settop(L, 0);
			continue;
		}
		lua_pop(L, 1);
		if (call_json(L, "decode") != LUA_OK || !lua_isnumber(L, -2)) {
			bad++;
			lua_settop(L, 0);
			continue;
		}
		back = lua_tonumber(L, -2);
		if (d == floor(d) && fabs(d) < 0x1p63) {
			if (!lua_isinteger(L, -2) || back != d)
				bad++;
		} else if (lua_isinteger(L, -2) ||
		    memcmp(&back, &d, sizeof(d)) != 0)
			bad++;
		if (bad != was)
			fprintf(stderr, "double %.17g came back %.17g\n", d, back);
		was = bad;
		lua_settop(L, 0);
	}
	CHECK(bad == 0);
	lua_close(L);
}

static void
test_refusals(void)
{
	lua_State	*L = new_state();

	lua_pushlightuserdata(L, L);
	lua_setglobal(L, "light");
	lua_newuserdatauv(L, 8, 0);
	lua_setglobal(L, "full");
	CHECK(lua_run(L,
	    "bad_enc(print, 'cannot encode function to JSON')\n"
	    "bad_enc({f = print}, 'cannot encode function to JSON')\n"
	    "bad_enc({coroutine.create(print)}, 'cannot encode thread to JSON')\n"
	    "bad_enc(light, 'cannot encode userdata to JSON')\n"
	    "bad_enc({x = full}, 'cannot encode userdata to JSON')\n"
	    "bad_enc(0/0, 'NaN or infinity')\n"
	    "bad_enc({1, math.huge}, 'NaN or infinity')\n"
	    "bad_enc({a = -math.huge}, 'NaN or infinity')\n"
	    "bad_enc({[math.huge] = 1}, 'NaN or infinity')\n"
	    "bad_enc({1, 2, nil, 4}, 'sparse array')\n"
	    "bad_enc({[2] = 'x'}, 'sparse array')\n"
	    "bad_enc({[1] = 'a', [3] = 'c'}, 'sparse array')\n"
	    "bad_enc({1, 2, x = 3}, 'mixed-key table')\n"
	    "bad_enc({[1] = 1, [0] = 0}, 'mixed-key table')\n"
	    "bad_enc({[{}] = 1}, 'table key of type table')\n"
	    "bad_enc({[print] = 1}, 'table key of type function')\n"
	    "bad_enc({[1.5] = 1, ['1.5'] = 2}, 'two keys named \"1.5\"')\n"
	    "bad_enc({[true] = 1, ['true'] = 2}, 'two keys named \"true\"')\n"
	    "bad_enc({[-1] = 1, ['-1'] = 2}, 'two keys named \"-1\"')\n"
	    "local t = {}; t.self = t\n"
	    "bad_enc(t, 'recursively nested')\n"
	    "local a, b = {}, {}; a[1] = b; b.x = {a}\n"
	    "bad_enc(a, 'recursively nested')\n"
	    /* 128 nested tables are fine, 129 are not. */
	    "local function deep(n) local r = {} for i = 2, n do r = {r} end return r end\n"
	    "expect(enc(deep(128)), nest(128, '[', ']'))\n"
	    "bad_enc(deep(129), 'maximum nesting depth')\n"
	    "bad_enc(deep(10000), 'maximum nesting depth')\n"
	    "local ok = {}; ok.a = deep(127)\n"
	    "assert(enc(ok))\n"
	    "local no = {}; no.a = deep(128)\n"
	    "bad_enc(no, 'maximum nesting depth')\n"));
	lua_close(L);
}

/* Output is capped; a shared subtable cannot blow it up exponentially. */
static void
test_output_limit(void)
{
	lua_State	*L = new_state();

	/* string.rep of a long piece: byte by byte it would take seconds. */
	CHECK(lua_run(L,
	    "local max = 64 << 20\n"
	    "local big = string.rep(string.rep('a', 1 << 16), 1024)\n"
	    "assert(#big == max)\n"
	    "bad_enc(big, 'larger than 67108864 bytes')\n"
	    "expect(#enc(big:sub(3)), max)\n"
	    "bad_dec(big .. ' ', 'larger than 67108864 bytes')\n"
	    "big = nil\n"
	    "bad_enc({k = string.rep(string.rep('\\1', 1 << 16), 176)},\n"
	    "    'larger than')\n"
	    /* A shared subtable cannot make the output grow exponentially. */
	    "local d = string.rep('b', 1 << 16)\n"
	    "for i = 1, 20 do d = {d, d} end\n"
	    "bad_enc(d, 'larger than')\n"));
	lua_close(L);
}

static void
test_malformed(void)
{
	lua_State	*L = new_state();

	CHECK(lua_run(L,
	    "local cases = {\n"
	    "  {'', 'empty string is not valid JSON'},\n"
	    "  {' ', 'unexpected end of input at 1:2'},\n"
	    "  {'x', \"unexpected character 'x' at 1:1\"},\n"
	    "  {'\\xef\\xbb\\xbf{}', 'unexpected byte 0xef at 1:1'},\n"
	    "  {'{}x', \"unexpected character 'x' after JSON value at 1:3\"},\n"
	    "  {'[1] [2]', \"unexpected character '[' after JSON value at 1:5\"},\n"
	    "  {'1 2', \"after JSON value at 1:3\"},\n"
	    "  {'null\\0', 'unexpected byte 0x00 after JSON value at 1:5'},\n"
	    "  {'[1,]', 'trailing comma at 1:4'},\n"
	    "  {'[1, ]', 'trailing comma at 1:5'},\n"
	    "  {'{\"a\":1,}', 'trailing comma at 1:8'},\n"
	    "  {'[,]', \"unexpected character ',' at 1:2\"},\n"
	    "  {'[1,,2]', \"unexpected character ',' at 1:4\"},\n"
	    "  {'{,}', \"unexpected character ',' where an object key was expected at 1:2\"},\n"
	    "  {'[1 2]', \"unexpected character '2' after array element at 1:4\"},\n"
	    "  {'{\"a\" 1}', \"unexpected character '1' after object key at 1:6\"},\n"
	    "  {'{\"a\":1 \"b\":2}', \"after object member at 1:8\"},\n"
	    "  {'{a:1}', \"unexpected character 'a' where an object key was expected at 1:2\"},\n"
	    "  {'{1:1}', 'where an object key was expected'},\n"
	    "  {\"{'a':1}\", 'unexpected byte 0x27 where an object key'},\n"
	    "  {'[1}', \"unexpected character '}' after array element\"},\n"
	    "  {'{\"a\":1]', \"unexpected character ']' after object member\"},\n"
	    "  {'01', 'leading zero in number at 1:1'},\n"
	    "  {'-01', 'leading zero in number at 1:2'},\n"
	    "  {'[00]', 'leading zero in number at 1:2'},\n"
	    "  {'+1', \"unexpected character '+' at 1:1\"},\n"
	    "  {'.5', \"unexpected character '.' at 1:1\"},\n"
	    "  {'1.', 'end of input after decimal point at 1:3'},\n"
	    "  {'1.e5', \"unexpected character 'e' after decimal point at 1:3\"},\n"
	    "  {'1e', 'end of input in exponent at 1:3'},\n"
	    "  {'1e+', 'in exponent at 1:4'},\n"
	    "  {'-', 'end of input in number at 1:2'},\n"
	    "  {'-a', \"unexpected character 'a' in number at 1:2\"},\n"
	    "  {'0x10', \"unexpected character 'x' after JSON value\"},\n"
	    "  {'NaN', \"unexpected character 'N' at 1:1\"},\n"
	    "  {'Infinity', \"unexpected character 'I'\"},\n"
	    "  {'-Infinity', \"unexpected character 'I' in number\"},\n"
	    "  {'tru', 'end of input in literal at 1:4'},\n"
	    "  {'trUe', \"unexpected character 'U' in literal at 1:3\"},\n"
	    "  {'nul', 'end of input in literal'},\n"
	    "  {'nulll', \"unexpected character 'l' after JSON value at 1:5\"},\n"
	    "  {'True', \"unexpected character 'T'\"},\n"
	    "  {'\"abc', 'end of input in string at 1:5'},\n"
	    "  {'\"\\\\', 'end of input in string at 1:3'},\n"
	    "  {'\"\\\\x\"', 'invalid escape in string at 1:2'},\n"
	    "  {'\"\\\\U0041\"', 'invalid escape in string'},\n"
	    "  {'\"\\\\\\0\"', 'invalid escape in string'},\n"
	    "  {'\"\\\\u12\"', 'in \\\\u escape at 1:6'},\n"
	    "  {'\"\\\\u12g4\"', \"unexpected character 'g' in \\\\u escape at 1:6\"},\n"
	    "  {'\"\\\\u', 'end of input in \\\\u escape at 1:4'},\n"
	    "  {'\"a\\tb\"', 'control character in string at 1:3'},\n"
	    "  {'\"a\\nb\"', 'control character in string at 1:3'},\n"
	    "  {'\"\\x80\"', 'invalid UTF-8 in string at 1:2'},\n"
	    "  {'\"\\xc0\\xaf\"', 'invalid UTF-8 in string'},\n"
	    "  {'\"\\xf4\\x90\\x80\\x80\"', 'invalid UTF-8 in string'},\n"
	    "  {'\"\\xe2\\x82\"', 'invalid UTF-8 in string'},\n"
	    "  {'[\\n1,\\n  x]', \"unexpected character 'x' at 3:3\"},\n"
	    "  {'{\\r\\n\"a\":\\r\\n\\t?}', \"unexpected character '?' at 3:2\"},\n"
	    "  {'[1,\\n', 'unexpected end of input at 2:1'},\n"
	    "  {'\\f1', 'unexpected byte 0x0c at 1:1'},\n"
	    "  {'\\v1', 'unexpected byte 0x0b at 1:1'},\n"
	    "  {'[1]\\xa0', 'unexpected byte 0xa0 after JSON value'},\n"
	    "}\n"
	    "for _, c in ipairs(cases) do bad_dec(c[1], c[2]) end\n"
	    /* Every control byte is refused raw inside a string. */
	    "for c = 0, 31 do\n"
	    "  bad_dec('\"' .. string.char(c) .. '\"', 'control character in string at 1:2')\n"
	    "end\n"
	    /* Every byte after a backslash but the eight good ones. */
	    "for c = 0, 255 do\n"
	    "  local ch = string.char(c)\n"
	    "  if not string.find('\"\\\\/bfnrtu', ch, 1, true) then\n"
	    "    bad_dec('\"\\\\' .. ch .. '\"', 'invalid escape in string at 1:2')\n"
	    "  end\n"
	    "end\n"
	    /* Not a string. */
	    "bad_dec(nil, 'string expected, got nil')\n"
	    "bad_dec(42, 'string expected, got number')\n"
	    "bad_dec({}, 'string expected, got table')\n"
	    "local v, e = json.decode()\n"
	    "assert(v == nil and e:kind() == 'Invalid')\n"));
	lua_close(L);
}

/* Each proper prefix of a valid document is refused, never misread. */
static void
test_truncations(void)
{
	lua_State	*L = new_state();

	CHECK(lua_run(L,
	    "local doc = '{\"a\":[1,-2.5e3,true,false,null,\"x\\\\u00e9\\\\n\\\\ud83d\\\\ude00y\"],'\n"
	    "    .. '\"b\":{\"c\":{}},\"d\":[],\"caf\\u{e9}\":\"\\u{1f600}\",\"e\":0}'\n"
	    "assert(dec(doc))\n"
	    "for i = 0, #doc - 1 do\n"
	    "  local s = doc:sub(1, i)\n"
	    "  local v, e = json.decode(s)\n"
	    "  if v ~= nil or e == nil or e:kind() ~= 'Invalid' then\n"
	    "    error('prefix ' .. i .. ' accepted')\n"
	    "  end\n"
	    "  local m = e:message()\n"
	    "  if i > 0 and not m:find('end of input', 1, true) and\n"
	    "      not m:find('invalid UTF-8', 1, true) then\n"
	    "    error('prefix ' .. i .. ': ' .. e:message())\n"
	    "  end\n"
	    "end\n"
	    /* Dropping any single byte also never yields the document. */
	    "local want = dec(doc)\n"
	    "for i = 1, #doc do\n"
	    "  local s = doc:sub(1, i - 1) .. doc:sub(i + 1)\n"
	    "  local v = json.decode(s)\n"
	    "  assert(v == nil or not same(v, want) or doc:sub(i, i) == ' ')\n"
	    "end\n"));
	lua_close(L);
}

static void
test_depth(void)
{
	lua_State	*L = new_state();

	CHECK(lua_run(L,
	    "assert(dec(nest(128, '[', ']')))\n"
	    "bad_dec(nest(129, '[', ']'), 'nesting deeper than 128 at 1:129')\n"
	    "bad_dec(nest(10000, '[', ']'), 'nesting deeper than 128')\n"
	    "bad_dec(string.rep('[', 10000), 'nesting deeper than 128')\n"
	    "bad_dec(string.rep('{\"a\":', 10000), 'nesting deeper than 128')\n"
	    "bad_dec(string.rep('[{\"a\":', 5000), 'nesting deeper than 128')\n"
	    "local ok = string.rep('{\"k\":', 128) .. '1' .. string.rep('}', 128)\n"
	    "local v = dec(ok)\n"
	    "for i = 1, 128 do v = v.k end\n"
	    "assert(v == 1)\n"
	    "bad_dec('[' .. ok .. ']', 'nesting deeper than 128')\n"
	    /* Depth is nesting, not count: many siblings are fine. */
	    "local wide = '[' .. string.rep('[[]],', 10000) .. '0]'\n"
	    "assert(#dec(wide) == 10001)\n"
	    "local big = {}\n"
	    "for i = 1, 100000 do big[i] = {i, tostring(i)} end\n"
	    "assert(same(dec(enc(big)), big))\n"));
	lua_close(L);
}

/* A state whose allocator refuses past a budget, to force memory errors. */
struct budget {
	size_t	 used;
	size_t	 limit;
};

static void *
budget_alloc(void *ud, void *p, size_t osize, size_t nsize)
{
	struct budget	*b = ud;
	void		*np;

	if (p == NULL)
		osize = 0;
	if (nsize == 0) {
		free(p);
		b->used -= osize;
		return NULL;
	}
	if (nsize > osize && b->used + (nsize - osize) > b->limit)
		return NULL;
	if ((np = realloc(p, nsize)) == NULL)
		return NULL;
	b->used = b->used - osize + nsize;
	return np;
}

/* Memory errors inside encode and decode come back as nil, err. */
static void
test_memory_errors(void)
{
	struct budget	 b = { 0, SIZE_MAX };
	lua_State	*L;
	size_t		 extra;
	int		 i = 0, st, bad = 0, internal = 0;

	if ((L = lua_newstate(budget_alloc, &b)) == NULL)
		abort();
	luaL_openlibs(L);
	luaL_requiref(L, "errors", luaopen_errors, 1);
	luaL_requiref(L, "json", luaopen_json, 1);
	lua_pop(L, 2);
	CHECK(lua_run(L,
	    "doc = '[' .. string.rep('{\"key\":[1,2.5,\"a string\",{}]},', 2000) .. '0]'\n"
	    "val = json.decode(doc)\n"
	    "assert(val)\n"
	    /* Errors are made once so the error path allocates less. */
	    "errors.new('warm up')\n"));
	for (extra = 2048; extra < (1 << 20); extra += extra / 8, i++) {
		lua_gc(L, LUA_GCCOLLECT);
		b.limit = b.used + extra;
		lua_getglobal(L, "json");
		lua_getfield(L, -1, i % 2 ? "encode" : "decode");
		lua_getglobal(L, i % 2 ? "val" : "doc");
		st = lua_pcall(L, 1, 2, 0);
		b.limit = SIZE_MAX;
		if (st != LUA_OK) {
			/* Only making the error object itself may fail. */
			if (st != LUA_ERRMEM)
				bad++;
			lua_settop(L, 0);
			continue;
		}
		if (lua_isnil(L, -2)) {
			if (!errors_is_error(L, -1))
				bad++;
			else {
				lua_getfield(L, -1, "kind");
				lua_pushvalue(L, -2);
				lua_call(L, 1, 1);
				if (strcmp(lua_tostring(L, -1), ERR_INTERNAL) == 0)
					internal++;
				else
					bad++;
			}
		}
		lua_settop(L, 0);
	}
	CHECK(bad == 0);
	CHECK(internal > 0);
	CHECK(lua_run(L, "assert(json.decode(json.encode(val)))"));
	lua_close(L);
}

static void
check_decode_result(lua_State *L, int *bad)
{
	if (lua_isnil(L, -2) && !lua_isnil(L, -1)) {
		if (!errors_is_error(L, -1)) {
			(*bad)++;
			return;
		}
		lua_getfield(L, -1, "kind");
		lua_pushvalue(L, -2);
		lua_call(L, 1, 1);
		if (strcmp(lua_tostring(L, -1), ERR_INVALID) != 0)
			(*bad)++;
	} else if (!lua_isnil(L, -1))
		(*bad)++;
}

/*
 * 10,000 random byte strings, then 10,000 random mutations of a valid
 * document: every answer is a value or nil and an Invalid error.
 */
static void
test_random_bytes(void)
{
	static const char	 doc[] = "{\"a\":[1,-2.5e+3,true,false,null,"
	    "\"x\\u00e9\\ud83d\\ude00\"],\"b\":{\"c\":{}},\"d\":[[[0]]]}";
	static const char	 alpha[] = "[]{}\",:\\u0123456789.eE+-tfnrl "
	    "\x80\xc3\xa9\xed\xff\n";
	lua_State		*L = new_state();
	char			 buf[256];
	size_t			 len, i, n;
	int			 round, bad = 0, ok = 0;

	for (round = 0; round < 20000; round++) {
		if (round < 10000) {
			len = rng() % sizeof(buf);
			for (i = 0; i < len; i++)
				buf[i] = round % 2 ? (char)rng() :
				    alpha[rng() % (sizeof(alpha) - 1)];
		} else {
			len = sizeof(doc) - 1;
			memcpy(buf, doc, len);
			for (n = 1 + rng() % 4; n > 0 && len > 0; n--) {
				i = rng() % len;
				if (rng() % 3 == 0)
					len = i;	/* truncate */
				else
					buf[i] = (char)rng();
			}
		}
		lua_pushlstring(L, buf, len);
		if (call_json(L, "decode") != LUA_OK) {
			fprintf(stderr, "raised: %s\n", lua_tostring(L, -1));
			bad++;
		} else {
			ok += !lua_isnil(L, -2);
			check_decode_result(L, &bad);
		}
		lua_settop(L, 0);
	}
	CHECK(bad == 0);
	CHECK(ok > 0);
	lua_close(L);
}

int
main(void)
{
	RUN(test_roundtrip);
	RUN(test_shapes);
	RUN(test_escapes);
	RUN(test_surrogates);
	RUN(test_numbers);
	RUN(test_random_doubles);
	RUN(test_refusals);
	RUN(test_output_limit);
	RUN(test_malformed);
	RUN(test_truncations);
	RUN(test_depth);
	RUN(test_memory_errors);
	RUN(test_random_bytes);
	UNIT_EXIT();
}
