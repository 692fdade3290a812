/*
 * value.c: the binary encoding of Lua values that cross process
 * boundaries (message payloads, spawn arguments, exit results).  The
 * supervisor never decodes it; this file is the only reader and writer.
 *
 * FORMAT
 *
 * All integers are little-endian.  "u8", "u32" and "u64" are unsigned
 * integers of 1, 4 and 8 bytes; "str" is a u32 byte count followed by
 * that many bytes (any bytes, NULs included, no terminator).
 *
 * A sequence, the unit carried in a frame, is:
 *
 *	u32 count, then count values.
 *
 * A value is a u8 tag followed by its data:
 *
 *	0  nil		no data
 *	1  false	no data
 *	2  true		no data
 *	3  integer	u64: the two's complement bits of a Lua integer
 *	4  float	u64: the IEEE 754 bits of a Lua float; NaN payloads,
 *			infinities and -0.0 are kept exactly
 *	5  string	str
 *	6  table	u32 n, then n values, for the keys 1..n in order;
 *			u32 m, then m pairs of key value, value
 *	7  error	str kind, str message, u8 retryable (0 or 1)
 *
 * Integers and floats stay distinct, so math.type() survives the trip.
 *
 * Tables.  The array part holds the contiguous run of keys 1, 2, ... up
 * to the first absent key; every other key goes in the hash part, in no
 * particular order.  Keys must be strings, integers, booleans or floats
 * that are not NaN; neither part may hold a nil value.  Only raw access
 * is used: metamethods are not called, and a table's metatable is not
 * carried (the receiver gets a plain table).  A table reached twice
 * through different paths is copied twice; a table that contains itself
 * is refused.  The top-level values of a sequence are at depth 1, and a
 * table may be at depth VALUE_MAX_DEPTH (128) at most.
 *
 * Error objects (mod_errors.c) travel as tag 7; their details do not.
 *
 * Functions, threads, light userdata and full userdata other than error
 * objects cannot be encoded.  A whole encoded sequence is at most
 * VALUE_MAX_BYTES, which leaves room in a frame for its other fields.
 *
 * A decoder must reject short data, trailing bytes after the last value
 * of a sequence, unknown tags, counts that the remaining bytes could not
 * hold, tables deeper than VALUE_MAX_DEPTH, nil or NaN keys, keys that
 * are tables or errors, nil values in a table and retryable bytes other
 * than 0 or 1.  When a key appears twice in one table the last one wins.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "frame.h"
#include "mod_errors.h"
#include "proto.h"
#include "value.h"

#define PATH_TEXT_MAX	120	/* "arg 1.a.b[3]" is cut after this */
#define KEY_TEXT_MAX	32	/* one key in a path */

/* One step of the path to the value being encoded. */
struct venc_key {
	int		 idx;	/* stack index of the key; 0: array index i */
	lua_Integer	 i;
};

struct venc {
	lua_State	*L;
	struct wbuf	*out;
	size_t		 start;
	int		 arg;		/* what errors call the value: "arg N" */
	int		 depth;		/* tables open on the current path */
	const void	*open[VALUE_MAX_DEPTH];
	struct venc_key	 path[VALUE_MAX_DEPTH];
	char		*err;
	size_t		 errlen;
};

struct vdec {
	struct rbuf	 r;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static int	enc_value(struct venc *, int);

static void
put_le32_at(struct wbuf *out, size_t pos, uint32_t v)
{
	out->data[pos] = v & 0xff;
	out->data[pos + 1] = (v >> 8) & 0xff;
	out->data[pos + 2] = (v >> 16) & 0xff;
	out->data[pos + 3] = (v >> 24) & 0xff;
}

static int
key_is_identifier(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > KEY_TEXT_MAX || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < len; i++) {
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	}
	return 1;
}

/* `["odd key"]`, cut, with unprintable bytes shown as '?'. */
static void
key_quoted(const char *s, size_t len, char *buf, size_t size)
{
	char	 cut[KEY_TEXT_MAX + 1];
	size_t	 i, n = len < KEY_TEXT_MAX - 8 ? len : KEY_TEXT_MAX - 8;

	for (i = 0; i < n; i++)
		cut[i] = (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"') ?
		    s[i] : '?';
	cut[n] = '\0';
	snprintf(buf, size, "[\"%s%s\"]", cut, n < len ? "..." : "");
}

/* How one step of a path reads: ".name", "[3]", "[\"a b\"]", "[true]". */
static void
enc_key_text(struct venc *e, const struct venc_key *k, char *buf,
    size_t size)
{
	lua_State	*L = e->L;
	const char	*s;
	size_t		 len;

	if (k->idx == 0) {
		snprintf(buf, size, "[" LUA_INTEGER_FMT "]", k->i);
		return;
	}
	switch (lua_type(L, k->idx)) {
	case LUA_TSTRING:
		s = lua_tolstring(L, k->idx, &len);
		if (key_is_identifier(s, len))
			snprintf(buf, size, ".%s", s);
		else
			key_quoted(s, len, buf, size);
		break;
	case LUA_TNUMBER:
		if (lua_isinteger(L, k->idx))
			snprintf(buf, size, "[" LUA_INTEGER_FMT "]",
			    lua_tointeger(L, k->idx));
		else
			snprintf(buf, size, "[%.14g]", lua_tonumber(L, k->idx));
		break;
	case LUA_TBOOLEAN:
		snprintf(buf, size, "[%s]",
		    lua_toboolean(L, k->idx) ? "true" : "false");
		break;
	default:
		snprintf(buf, size, "[?]");
		break;
	}
}

/* "arg 2.handlers.cb", cut with "..." when the path is long. */
static void
enc_path_text(struct venc *e, int nkeys, char *buf, size_t size)
{
	char	 piece[KEY_TEXT_MAX + 16];
	size_t	 n, plen;
	int	 k;

	n = (size_t)snprintf(buf, size, "arg %d", e->arg);
	for (k = 0; k < nkeys; k++) {
		enc_key_text(e, &e->path[k], piece, sizeof(piece));
		plen = strlen(piece);
		if (n + plen + sizeof("...") > size) {
			memcpy(buf + n, "...", sizeof("..."));
			return;
		}
		memcpy(buf + n, piece, plen + 1);
		n += plen;
	}
}

/* Set the error, naming the value reached through the first nkeys keys. */
static int
enc_fail(struct venc *e, int nkeys, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
enc_fail(struct venc *e, int nkeys, const char *fmt, ...)
{
	char	 what[128], where[PATH_TEXT_MAX];
	va_list	 ap;

	if (e->err == NULL || e->errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	enc_path_text(e, nkeys, where, sizeof(where));
	snprintf(e->err, e->errlen, "%s (at %s)", what, where);
	return -1;
}

static int
enc_too_big(struct venc *e)
{
	if (e->err != NULL && e->errlen > 0)
		snprintf(e->err, e->errlen, "message larger than %u bytes",
		    VALUE_MAX_BYTES);
	return -1;
}

static size_t
enc_used(const struct venc *e)
{
	return e->out->len - e->start;
}

static int
enc_string(struct venc *e, const char *s, size_t len)
{
	if (len > VALUE_MAX_BYTES || enc_used(e) + 5 + len > VALUE_MAX_BYTES)
		return enc_too_big(e);
	wbuf_put_u8(e->out, VALUE_T_STRING);
	wbuf_put_str(e->out, s, len);
	return 0;
}

static void
enc_number(struct venc *e, int idx)
{
	lua_Number	 d;
	uint64_t	 bits;

	if (lua_isinteger(e->L, idx)) {
		wbuf_put_u8(e->out, VALUE_T_INT);
		wbuf_put_u64(e->out, (uint64_t)lua_tointeger(e->L, idx));
		return;
	}
	d = lua_tonumber(e->L, idx);
	memcpy(&bits, &d, sizeof(bits));
	wbuf_put_u8(e->out, VALUE_T_FLOAT);
	wbuf_put_u64(e->out, bits);
}

static int
enc_error(struct venc *e, int idx)
{
	const char	*kind, *msg;
	size_t		 klen, mlen;
	int		 retryable;

	retryable = errors_push_parts(e->L, idx);
	kind = lua_tolstring(e->L, -2, &klen);
	msg = lua_tolstring(e->L, -1, &mlen);
	if (klen + mlen > VALUE_MAX_BYTES ||
	    enc_used(e) + 10 + klen + mlen > VALUE_MAX_BYTES)
		return enc_too_big(e);
	wbuf_put_u8(e->out, VALUE_T_ERROR);
	wbuf_put_str(e->out, kind, klen);
	wbuf_put_str(e->out, msg, mlen);
	wbuf_put_u8(e->out, retryable);
	lua_pop(e->L, 2);
	return 0;
}

/* Keys 1, 2, ... up to the first absent one; returns how many, or -1. */
static lua_Integer
enc_array(struct venc *e, int idx)
{
	lua_State	*L = e->L;
	lua_Integer	 i;

	for (i = 1;; i++) {
		if (lua_rawgeti(L, idx, i) == LUA_TNIL) {
			lua_pop(L, 1);
			return i - 1;
		}
		e->path[e->depth - 1].idx = 0;
		e->path[e->depth - 1].i = i;
		if (enc_value(e, lua_gettop(L)) == -1)
			return -1;
		lua_pop(L, 1);
	}
}

static int
enc_key(struct venc *e, int idx)
{
	const char	*s;
	size_t		 len;

	switch (lua_type(e->L, idx)) {
	case LUA_TSTRING:
		s = lua_tolstring(e->L, idx, &len);
		return enc_string(e, s, len);
	case LUA_TNUMBER:
		enc_number(e, idx);
		return 0;
	case LUA_TBOOLEAN:
		wbuf_put_u8(e->out, lua_toboolean(e->L, idx) ?
		    VALUE_T_TRUE : VALUE_T_FALSE);
		return 0;
	}
	return enc_fail(e, e->depth - 1, "cannot send %s as a table key",
	    luaL_typename(e->L, idx));
}

/* Every key but 1..n; returns how many pairs, or -1. */
static lua_Integer
enc_hash(struct venc *e, int idx, lua_Integer n)
{
	lua_State	*L = e->L;
	lua_Integer	 k, m = 0;

	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_isinteger(L, -2) && (k = lua_tointeger(L, -2)) >= 1 &&
		    k <= n) {
			lua_pop(L, 1);
			continue;
		}
		e->path[e->depth - 1].idx = lua_gettop(L) - 1;
		if (enc_key(e, lua_gettop(L) - 1) == -1 ||
		    enc_value(e, lua_gettop(L)) == -1)
			return -1;
		lua_pop(L, 1);
		m++;
	}
	return m;
}

static int
enc_table(struct venc *e, int idx)
{
	const void	*p = lua_topointer(e->L, idx);
	lua_Integer	 n, m;
	size_t		 pos;
	int		 k;

	for (k = 0; k < e->depth; k++)
		if (e->open[k] == p)
			return enc_fail(e, e->depth, "cyclic table");
	if (e->depth == VALUE_MAX_DEPTH)
		return enc_fail(e, e->depth, "table nested deeper than %d",
		    VALUE_MAX_DEPTH);
	if (!lua_checkstack(e->L, 4))
		return enc_fail(e, e->depth, "Lua stack overflow");
	e->open[e->depth++] = p;

	wbuf_put_u8(e->out, VALUE_T_TABLE);
	pos = e->out->len;
	wbuf_put_u32(e->out, 0);
	if ((n = enc_array(e, idx)) == -1)
		return -1;
	put_le32_at(e->out, pos, (uint32_t)n);
	pos = e->out->len;
	wbuf_put_u32(e->out, 0);
	if ((m = enc_hash(e, idx, n)) == -1)
		return -1;
	put_le32_at(e->out, pos, (uint32_t)m);
	e->depth--;
	return 0;
}

static int
enc_value(struct venc *e, int idx)
{
	lua_State	*L = e->L;
	const char	*s;
	size_t		 len;

	if (enc_used(e) > VALUE_MAX_BYTES)
		return enc_too_big(e);
	switch (lua_type(L, idx)) {
	case LUA_TNONE:
	case LUA_TNIL:
		wbuf_put_u8(e->out, VALUE_T_NIL);
		return 0;
	case LUA_TBOOLEAN:
		wbuf_put_u8(e->out, lua_toboolean(L, idx) ?
		    VALUE_T_TRUE : VALUE_T_FALSE);
		return 0;
	case LUA_TNUMBER:
		enc_number(e, idx);
		return 0;
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &len);
		return enc_string(e, s, len);
	case LUA_TTABLE:
		return enc_table(e, idx);
	case LUA_TUSERDATA:
		if (errors_is_error(L, idx))
			return enc_error(e, idx);
		break;
	case LUA_TLIGHTUSERDATA:
		return enc_fail(e, e->depth, "cannot send light userdata");
	}
	return enc_fail(e, e->depth, "cannot send %s", luaL_typename(L, idx));
}

/*
 * Encode the n values at stack indexes first..first+n-1 as a sequence
 * appended to out; errors call the first value "arg argno".  Raises no
 * Lua error: the stack is grown with lua_checkstack, and out with
 * xrealloc, which exits when memory runs out.  On failure out and the
 * stack are as they were, and err says what and where.
 */
static int
value_encode_from(lua_State *L, int first, int n, int argno,
    struct wbuf *out, char *err, size_t errlen)
{
	struct venc	 e;
	int		 i, top = lua_gettop(L);

	e.L = L;
	e.out = out;
	e.start = out->len;
	e.err = err;
	e.errlen = errlen;
	e.arg = 0;
	e.depth = 0;
	if (n < 0 || !lua_checkstack(L, 4)) {
		if (errlen > 0)
			snprintf(err, errlen, "cannot encode %d values", n);
		return -1;
	}
	first = lua_absindex(L, first);
	wbuf_put_u32(out, (uint32_t)n);
	for (i = 0; i < n; i++) {
		e.arg = argno + i;
		e.depth = 0;
		if (enc_value(&e, first + i) == -1)
			goto fail;
	}
	if (enc_used(&e) > VALUE_MAX_BYTES) {
		enc_too_big(&e);
		goto fail;
	}
	return 0;
fail:
	out->len = e.start;
	lua_settop(L, top);
	return -1;
}

/* Values numbered from 1 in errors (an exit result, say). */
int
value_encode(lua_State *L, int first, int n, struct wbuf *out, char *err,
    size_t errlen)
{
	return value_encode_from(L, first, n, 1, out, err, errlen);
}

/*
 * The trailing arguments of the running C function, from stack index
 * first on: errors name each by its argument position.
 */
int
value_encode_args(lua_State *L, int first, int n, struct wbuf *out,
    char *err, size_t errlen)
{
	return value_encode_from(L, first, n, lua_absindex(L, first), out, err,
	    errlen);
}

static int
dec_fail(struct vdec *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
dec_fail(struct vdec *d, const char *fmt, ...)
{
	va_list	 ap;

	d->failed = 1;
	if (d->err != NULL && d->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(d->err, d->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The Lua integer with these two's complement bits, without relying on
 * implementation-defined conversions. */
static lua_Integer
dec_int(uint64_t v)
{
	if (v <= (uint64_t)LUA_MAXINTEGER)
		return (lua_Integer)v;
	return -(lua_Integer)(~v) - 1;
}

static int	dec_value(lua_State *, struct vdec *, int);

/* Pops the value just decoded and refuses it if it is nil. */
static int
dec_nonnil(lua_State *L, struct vdec *d, int depth, const char *what)
{
	if (dec_value(L, d, depth) == -1)
		return -1;
	if (lua_isnil(L, -1))
		return dec_fail(d, "nil %s in table", what);
	return 0;
}

static int
dec_key(lua_State *L, struct vdec *d, int depth)
{
	uint8_t	 tag;

	if (rbuf_left(&d->r) < 1)
		return dec_fail(d, "truncated value");
	tag = d->r.data[d->r.off];
	if (tag == VALUE_T_NIL)
		return dec_fail(d, "nil table key");
	if (tag == VALUE_T_TABLE || tag == VALUE_T_ERROR)
		return dec_fail(d, "table key of tag %u not allowed", tag);
	if (dec_value(L, d, depth) == -1)
		return -1;
	if (lua_type(L, -1) == LUA_TNUMBER && !lua_isinteger(L, -1) &&
	    isnan(lua_tonumber(L, -1)))
		return dec_fail(d, "NaN table key");
	return 0;
}

static int
dec_table(lua_State *L, struct vdec *d, int depth)
{
	uint32_t	 n, m, i;

	if (depth > VALUE_MAX_DEPTH)
		return dec_fail(d, "table nested deeper than %d",
		    VALUE_MAX_DEPTH);
	luaL_checkstack(L, 4, "decoding a value");
	n = rbuf_u32(&d->r);
	if (d->r.err)
		return dec_fail(d, "truncated value");
	if (n > rbuf_left(&d->r) || n > INT_MAX)
		return dec_fail(d, "array count %u larger than the data", n);
	lua_createtable(L, (int)n, 0);
	for (i = 1; i <= n; i++) {
		if (dec_nonnil(L, d, depth + 1, "value") == -1)
			return -1;
		lua_rawseti(L, -2, i);
	}
	m = rbuf_u32(&d->r);
	if (d->r.err)
		return dec_fail(d, "truncated value");
	if (m > rbuf_left(&d->r) / 2)
		return dec_fail(d, "hash count %u larger than the data", m);
	for (i = 0; i < m; i++) {
		if (dec_key(L, d, depth + 1) == -1 ||
		    dec_nonnil(L, d, depth + 1, "value") == -1)
			return -1;
		lua_rawset(L, -3);
	}
	return 0;
}

static int
dec_error(lua_State *L, struct vdec *d)
{
	const char	*kind, *msg;
	size_t		 klen, mlen;
	uint8_t		 retryable;

	kind = rbuf_str(&d->r, &klen);
	msg = rbuf_str(&d->r, &mlen);
	retryable = rbuf_u8(&d->r);
	if (d->r.err)
		return dec_fail(d, "truncated value");
	if (retryable > 1)
		return dec_fail(d, "bad retryable flag %u", retryable);
	errors_push_full(L, kind, klen, msg, mlen, retryable);
	return 0;
}

static int
dec_value(lua_State *L, struct vdec *d, int depth)
{
	const char	*s;
	size_t		 len;
	uint64_t	 bits;
	lua_Number	 f;
	uint8_t		 tag;

	tag = rbuf_u8(&d->r);
	if (d->r.err)
		return dec_fail(d, "truncated value");
	switch (tag) {
	case VALUE_T_NIL:
		lua_pushnil(L);
		return 0;
	case VALUE_T_FALSE:
	case VALUE_T_TRUE:
		lua_pushboolean(L, tag == VALUE_T_TRUE);
		return 0;
	case VALUE_T_INT:
	case VALUE_T_FLOAT:
		bits = rbuf_u64(&d->r);
		if (d->r.err)
			return dec_fail(d, "truncated value");
		if (tag == VALUE_T_INT) {
			lua_pushinteger(L, dec_int(bits));
			return 0;
		}
		memcpy(&f, &bits, sizeof(f));
		lua_pushnumber(L, f);
		return 0;
	case VALUE_T_STRING:
		if ((s = rbuf_str(&d->r, &len)) == NULL)
			return dec_fail(d, "truncated value");
		lua_pushlstring(L, s, len);
		return 0;
	case VALUE_T_TABLE:
		return dec_table(L, d, depth);
	case VALUE_T_ERROR:
		return dec_error(L, d);
	}
	return dec_fail(d, "unknown value tag %u", tag);
}

/*
 * Runs under lua_pcall, so running out of memory or stack is caught.  On
 * a format error it returns no values and leaves d->failed set.
 */
static int
dec_sequence(lua_State *L)
{
	struct vdec	*d = lua_touserdata(L, 1);
	uint32_t	 count, i;

	lua_settop(L, 0);
	count = rbuf_u32(&d->r);
	if (d->r.err) {
		dec_fail(d, "truncated value");
		return 0;
	}
	if (count > rbuf_left(&d->r) || count > INT_MAX - LUA_MINSTACK) {
		dec_fail(d, "value count %u larger than the data", count);
		return 0;
	}
	luaL_checkstack(L, (int)count, "too many values");
	for (i = 0; i < count; i++)
		if (dec_value(L, d, 1) == -1)
			return 0;
	if (rbuf_left(&d->r) != 0) {
		dec_fail(d, "%zu trailing bytes after the values",
		    rbuf_left(&d->r));
		return 0;
	}
	return (int)count;
}

/*
 * Decode a whole sequence from p, pushing its values and setting *n.
 * Returns 0, or -1 with err set and nothing pushed.  Raises no Lua error,
 * not even for memory.  L must be able to run lua_pcall: the main thread
 * or a running (not a suspended) coroutine.
 */
int
value_decode(lua_State *L, const void *p, size_t len, int *n, char *err,
    size_t errlen)
{
	struct vdec	 d;
	int		 top = lua_gettop(L), rc;

	*n = 0;
	rbuf_init(&d.r, p, len);
	d.err = err;
	d.errlen = errlen;
	d.failed = 0;
	if (!lua_checkstack(L, 2)) {
		dec_fail(&d, "Lua stack overflow");
		return -1;
	}
	lua_pushcfunction(L, dec_sequence);
	lua_pushlightuserdata(L, &d);
	rc = lua_pcall(L, 1, LUA_MULTRET, 0);
	if (rc != LUA_OK && !d.failed)
		dec_fail(&d, "%s", lua_type(L, -1) == LUA_TSTRING ?
		    lua_tostring(L, -1) : "cannot decode value");
	if (d.failed) {
		lua_settop(L, top);
		return -1;
	}
	*n = lua_gettop(L) - top;
	return 0;
}
