/*
 * fmtvalue.c: render any Lua value as compact JSON-like text for log
 * lines.  Only raw access is used, so no Lua code runs while a line is
 * built; the only Lua errors raised are for memory and stack space.
 *
 * Strings are quoted as json.encode quotes them: control bytes become
 * short escapes or \u00XX, and each byte that is not part of valid UTF-8
 * becomes \ufffd.  Integers print as such, floats with
 * %.14g (always with a '.' or exponent, as Lua's tostring does), and
 * NaN and infinities as the strings "nan", "inf", "-inf".  A table whose
 * keys are exactly 1..n (n > 0) is an array; any other table, the empty
 * one included, is an object with its keys sorted: numbers first, then
 * strings bytewise, then booleans.  Error objects print as their quoted
 * message, other non-data values as "<function>", "<userdata>",
 * "<thread>".  Cycles and tables deeper than FMTVALUE_MAX_DEPTH print
 * as "<...>".
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "fmtvalue.h"
#include "frame.h"
#include "mod_errors.h"
#include "mod_json.h"

struct fmt {
	lua_State	*L;
	struct wbuf	*out;
	int		 depth;
	const void	*open[FMTVALUE_MAX_DEPTH];
};

/* A key as the sort sees it; pos is its index in the keys array. */
struct fkey {
	int		 cls;
	int		 isint;
	lua_Integer	 i;
	lua_Number	 d;
	int		 pos;
};

enum {
	FKEY_NUMBER,
	FKEY_STRING,
	FKEY_BOOLEAN,
	FKEY_OTHER,
};

struct fsort {
	lua_State	*L;
	int		 keys;	/* stack index of the keys array */
};

static void	fmt_value(struct fmt *, int);

static void
fmt_puts(struct wbuf *out, const char *s)
{
	wbuf_put(out, s, strlen(s));
}

/* s quoted as JSON, the way json.encode and JSON log lines quote it. */
void
fmtvalue_string(struct wbuf *out, const char *str, size_t len)
{
	json_put_string(out, str, len);
}

static void
fmt_number(struct wbuf *out, lua_State *L, int idx)
{
	char		 buf[64];
	lua_Number	 d;
	size_t		 len;

	if (lua_isinteger(L, idx)) {
		snprintf(buf, sizeof(buf), LUA_INTEGER_FMT,
		    lua_tointeger(L, idx));
		fmt_puts(out, buf);
		return;
	}
	d = lua_tonumber(L, idx);
	if (isnan(d)) {
		fmt_puts(out, "\"nan\"");
		return;
	}
	if (isinf(d)) {
		fmt_puts(out, d > 0 ? "\"inf\"" : "\"-inf\"");
		return;
	}
	snprintf(buf, sizeof(buf), "%.14g", d);
	len = strlen(buf);
	if (buf[strspn(buf, "-0123456789")] == '\0' && len + 3 <= sizeof(buf))
		memcpy(buf + len, ".0", 3);
	fmt_puts(out, buf);
}

static int
fkey_cmp(const void *va, const void *vb, void *arg)
{
	const struct fkey	*a = va, *b = vb;
	const struct fsort	*fs = arg;
	const char		*sa, *sb;
	size_t			 la, lb;
	int			 c;

	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	switch (a->cls) {
	case FKEY_NUMBER:
		if (a->isint && b->isint)
			return a->i < b->i ? -1 : a->i > b->i;
		return a->d < b->d ? -1 : a->d > b->d;
	case FKEY_STRING:
		lua_rawgeti(fs->L, fs->keys, a->pos);
		lua_rawgeti(fs->L, fs->keys, b->pos);
		sa = lua_tolstring(fs->L, -2, &la);
		sb = lua_tolstring(fs->L, -1, &lb);
		c = memcmp(sa, sb, la < lb ? la : lb);
		if (c == 0)
			c = la < lb ? -1 : la > lb;
		lua_pop(fs->L, 2);
		return c;
	case FKEY_BOOLEAN:
		return (int)a->i - (int)b->i;
	}
	return a->pos - b->pos;
}

static void
fkey_fill(lua_State *L, int idx, struct fkey *k)
{
	switch (lua_type(L, idx)) {
	case LUA_TNUMBER:
		k->cls = FKEY_NUMBER;
		k->isint = lua_isinteger(L, idx);
		k->i = lua_tointeger(L, idx);
		k->d = lua_tonumber(L, idx);
		break;
	case LUA_TSTRING:
		k->cls = FKEY_STRING;
		break;
	case LUA_TBOOLEAN:
		k->cls = FKEY_BOOLEAN;
		k->i = lua_toboolean(L, idx);
		break;
	default:
		k->cls = FKEY_OTHER;
		break;
	}
}

/*
 * Push an array of the keys of the table at idx, in the order objects
 * print in; returns how many.  Scratch space is a userdata, so a memory
 * error part way leaks nothing.
 */
int
fmtvalue_sorted_keys(lua_State *L, int idx)
{
	struct fsort	 fs;
	struct fkey	*k;
	int		 n = 0, i;

	idx = lua_absindex(L, idx);
	luaL_checkstack(L, 6, "formatting a value");
	lua_newtable(L);
	fs.L = L;
	fs.keys = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawseti(L, fs.keys, ++n);
	}
	k = lua_newuserdatauv(L, (size_t)n * sizeof(*k) + 1, 0);
	for (i = 0; i < n; i++) {
		memset(&k[i], 0, sizeof(k[i]));
		lua_rawgeti(L, fs.keys, i + 1);
		fkey_fill(L, -1, &k[i]);
		k[i].pos = i + 1;
		lua_pop(L, 1);
	}
	qsort_r(k, (size_t)n, sizeof(*k), fkey_cmp, &fs);
	lua_createtable(L, n, 0);
	for (i = 0; i < n; i++) {
		lua_rawgeti(L, fs.keys, k[i].pos);
		lua_rawseti(L, -2, i + 1);
	}
	lua_replace(L, fs.keys);
	lua_pop(L, 1);
	return n;
}

/* How many keys, and are they exactly 1..n? */
static int
fmt_is_array(lua_State *L, int idx, lua_Integer *np)
{
	lua_Integer	 n = 0, max = 0, k;
	int		 isarray = 1;

	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		n++;
		if (!lua_isinteger(L, -1) || (k = lua_tointeger(L, -1)) < 1)
			isarray = 0;
		else if (k > max)
			max = k;
	}
	*np = n;
	return isarray && n > 0 && max == n;
}

static void
fmt_key(struct fmt *f, int idx)
{
	char	 buf[16];

	switch (lua_type(f->L, idx)) {
	case LUA_TSTRING:
		fmt_value(f, idx);
		return;
	case LUA_TNUMBER:
		wbuf_put_u8(f->out, '"');
		fmt_number(f->out, f->L, idx);
		wbuf_put_u8(f->out, '"');
		return;
	case LUA_TBOOLEAN:
		fmt_puts(f->out, lua_toboolean(f->L, idx) ? "\"true\"" :
		    "\"false\"");
		return;
	}
	snprintf(buf, sizeof(buf), "\"<%s>\"", luaL_typename(f->L, idx));
	fmt_puts(f->out, buf);
}

static void
fmt_array(struct fmt *f, int idx, lua_Integer n)
{
	lua_Integer	 i;

	wbuf_put_u8(f->out, '[');
	for (i = 1; i <= n; i++) {
		if (i > 1)
			wbuf_put_u8(f->out, ',');
		lua_rawgeti(f->L, idx, i);
		fmt_value(f, lua_gettop(f->L));
		lua_pop(f->L, 1);
	}
	wbuf_put_u8(f->out, ']');
}

static void
fmt_object(struct fmt *f, int idx)
{
	lua_State	*L = f->L;
	int		 i, n, keys;

	n = fmtvalue_sorted_keys(L, idx);
	keys = lua_gettop(L);
	wbuf_put_u8(f->out, '{');
	for (i = 1; i <= n; i++) {
		if (i > 1)
			wbuf_put_u8(f->out, ',');
		lua_rawgeti(L, keys, i);
		fmt_key(f, lua_gettop(L));
		wbuf_put_u8(f->out, ':');
		lua_rawget(L, idx);
		fmt_value(f, lua_gettop(L));
		lua_pop(L, 1);
	}
	wbuf_put_u8(f->out, '}');
	lua_pop(L, 1);
}

static void
fmt_table(struct fmt *f, int idx)
{
	const void	*p = lua_topointer(f->L, idx);
	lua_Integer	 n;
	int		 k;

	for (k = 0; k < f->depth; k++)
		if (f->open[k] == p)
			break;
	if (k < f->depth || f->depth == FMTVALUE_MAX_DEPTH) {
		fmt_puts(f->out, "\"<...>\"");
		return;
	}
	luaL_checkstack(f->L, 6, "formatting a value");
	f->open[f->depth++] = p;
	if (fmt_is_array(f->L, idx, &n))
		fmt_array(f, idx, n);
	else
		fmt_object(f, idx);
	f->depth--;
}

static void
fmt_value(struct fmt *f, int idx)
{
	lua_State	*L = f->L;
	const char	*s;
	size_t		 len;
	char		 buf[16];

	switch (lua_type(L, idx)) {
	case LUA_TNONE:
	case LUA_TNIL:
		fmt_puts(f->out, "null");
		return;
	case LUA_TBOOLEAN:
		fmt_puts(f->out, lua_toboolean(L, idx) ? "true" : "false");
		return;
	case LUA_TNUMBER:
		fmt_number(f->out, L, idx);
		return;
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &len);
		fmtvalue_string(f->out, s, len);
		return;
	case LUA_TTABLE:
		fmt_table(f, idx);
		return;
	case LUA_TUSERDATA:
		if (errors_is_error(L, idx)) {
			luaL_checkstack(L, 1, "formatting a value");
			s = errors_push_message(L, idx, &len);
			fmtvalue_string(f->out, s, len);
			lua_pop(L, 1);
			return;
		}
		break;
	}
	snprintf(buf, sizeof(buf), "\"<%s>\"", luaL_typename(L, idx));
	fmt_puts(f->out, buf);
}

/*
 * Append the value at idx to out.  May raise a Lua memory or stack error
 * (out then holds part of the text); never runs Lua code.
 */
void
fmtvalue_append(lua_State *L, int idx, struct wbuf *out)
{
	struct fmt	 f;

	f.L = L;
	f.out = out;
	f.depth = 0;
	idx = lua_absindex(L, idx);
	luaL_checkstack(L, 4, "formatting a value");
	fmt_value(&f, idx);
}
