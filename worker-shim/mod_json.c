/*
 * mod_json.c: the `json` module (API.md section 6).  json.encode(v)
 * gives RFC 8259 text, json.decode(s) the Lua value back; both return
 * nil and an Invalid error object instead of raising.  Wippy's json
 * module is the model where API.md is silent:
 *
 *  - A table whose keys are exactly 1..n is an array; an empty table
 *    is `[]` (Wippy's choice: plain Lua cannot tell {} from an empty
 *    array).  Any other table is an object whose keys are strings,
 *    booleans, or numbers that are not positive integers, written as
 *    text.  Positive integers mixed with other keys, gaps in 1..n, a
 *    key of another type, or two keys with the same text are refused.
 *    Object keys are sorted bytewise, so the output is deterministic.
 *    Tables are read raw: metatables are ignored.
 *  - Integers print as integers.  A float with an integral value in
 *    the int64 range prints as an integer too (1.0 gives `1`, as in
 *    Wippy), so it decodes as a Lua integer; other floats print in the
 *    shortest form that reads back to the same double (%.15g..%.17g).
 *    NaN and infinities are refused.
 *  - Strings: `"` `\` and \b \f \n \r \t get short escapes, other
 *    control bytes \u00XX, U+2028/U+2029 \u2028/\u2029 (as Go does);
 *    each byte that is not part of valid UTF-8 becomes \ufffd, as Go's
 *    encoder (so Wippy) does, rather than failing on binary data.
 *  - Error objects encode as their message, as Wippy's do; functions,
 *    threads, other userdata, cycles (a table inside itself; a table
 *    shared by two branches is fine), nesting deeper than 128 tables
 *    and output beyond JSON_MAX_OUTPUT are refused.  nil is `null`.
 *
 * Decoding follows RFC 8259 strictly: invalid UTF-8, lone surrogates,
 * leading zeros, trailing commas, raw control bytes in strings and
 * trailing text are errors whose message ends "at LINE:COLUMN" (bytes,
 * from 1).  Integers that fit int64 become Lua integers, other numbers
 * floats; numbers beyond the double range are refused.  null becomes
 * nil: an object member that is null is absent, an array element that
 * is null leaves a hole while later elements keep their index (Wippy
 * does the same, so [1,null] and [1] decode alike).  Duplicate keys:
 * the last wins.  At most 128 nested containers.
 *
 * Both directions run under lua_pcall with their C buffers owned by the
 * caller's frame, so a memory error frees everything and comes back as
 * nil, err (kind Internal) instead of escaping.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "frame.h"
#include "mod_errors.h"
#include "proto.h"
#include "utf8.h"
#include "mod_json.h"

#define JSON_MAX_DEPTH	VALUE_MAX_DEPTH		/* nested tables/containers */
#define JSON_MAX_INPUT	(64UL << 20)
#define JSON_MAX_OUTPUT	(64UL << 20)
#define JSON_ERR_LEN	160

/* One key of the object being written. */
struct jkey {
	const char	*s;		/* the text, valid while sorting */
	size_t		 off;		/* non-string keys: text in keytext */
	size_t		 len;
	int		 type;		/* LUA_TSTRING, LUA_TNUMBER, ... */
	int		 isint;
	lua_Integer	 i;
	lua_Number	 n;
};

struct jenc {
	lua_State	*L;
	struct wbuf	 out;
	struct wbuf	 keytext;	/* text of non-string keys, a stack */
	struct jkey	*keys;		/* keys of the open objects, a stack */
	size_t		 nkeys;
	size_t		 capkeys;
	int		 depth;
	const void	*open[JSON_MAX_DEPTH];
	char		 err[JSON_ERR_LEN];
};

struct jdec {
	lua_State		*L;
	const unsigned char	*s;
	size_t			 len;
	size_t			 pos;
	int			 depth;
	struct wbuf		 scratch;	/* unescaped strings, numbers */
	size_t			 errpos;
	char			 err[JSON_ERR_LEN];
};

static int	json_enc_value(struct jenc *, int);
static int	json_dec_value(struct jdec *);

static inline void
json_putc(struct wbuf *b, int c)
{
	if (b->len == b->cap)
		wbuf_reserve(b, 1);
	b->data[b->len++] = (uint8_t)c;
}

static void
json_puts(struct wbuf *b, const char *s)
{
	wbuf_put(b, s, strlen(s));
}

/* Shortest text that reads back as n (finite); returns its length. */
static int
json_fmt_number(char *buf, size_t sz, lua_Number n)
{
	int	 prec, len = 0;

	if (n == floor(n) && n >= -0x1p63 && n < 0x1p63)
		return snprintf(buf, sz, "%lld", (long long)n);
	for (prec = 15; prec <= 17; prec++) {
		len = snprintf(buf, sz, "%.*g", prec, (double)n);
		if (strtod(buf, NULL) == n)
			break;
	}
	return len;
}

static int
json_fmt_integer(char *buf, size_t sz, lua_Integer i)
{
	return snprintf(buf, sz, "%lld", (long long)i);
}

/* Encoding */

static int
json_enc_fail(struct jenc *e, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(e->err, sizeof(e->err), fmt, ap);
	va_end(ap);
	return -1;
}

static int
json_enc_toobig(struct jenc *e)
{
	return json_enc_fail(e, "encoded JSON is larger than %lu bytes",
	    JSON_MAX_OUTPUT);
}

static void
json_enc_escape(struct wbuf *b, unsigned int c)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 u[7] = "\\u0000";

	switch (c) {
	case '"':
		json_puts(b, "\\\"");
		return;
	case '\\':
		json_puts(b, "\\\\");
		return;
	case '\b':
		json_puts(b, "\\b");
		return;
	case '\f':
		json_puts(b, "\\f");
		return;
	case '\n':
		json_puts(b, "\\n");
		return;
	case '\r':
		json_puts(b, "\\r");
		return;
	case '\t':
		json_puts(b, "\\t");
		return;
	}
	u[2] = hex[(c >> 12) & 0xf];
	u[3] = hex[(c >> 8) & 0xf];
	u[4] = hex[(c >> 4) & 0xf];
	u[5] = hex[c & 0xf];
	wbuf_put(b, u, 6);
}

/*
 * str as a JSON string, for the encoder, log lines and log fields alike:
 * valid UTF-8 is kept, each byte that is not part of it becomes \ufffd.
 * Plain bytes are copied in runs; only what must change is looked at.
 */
void
json_put_string(struct wbuf *b, const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, run = 0, n;

	wbuf_reserve(b, len + 2);
	json_putc(b, '"');
	while (i < len) {
		if (s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' &&
		    s[i] != '\\') {
			i++;
			continue;
		}
		if (s[i] >= 0x80) {
			n = utf8_len(s + i, len - i);
			if (n == 3 && s[i] == 0xe2 && s[i + 1] == 0x80 &&
			    (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) {
				wbuf_put(b, s + run, i - run);
				json_enc_escape(b, 0x2028 + (s[i + 2] & 1));
				run = i += 3;
			} else if (n > 0)
				i += n;
			else {
				wbuf_put(b, s + run, i - run);
				json_puts(b, "\\ufffd");
				run = ++i;
			}
		} else {
			wbuf_put(b, s + run, i - run);
			json_enc_escape(b, s[i]);
			run = ++i;
		}
	}
	wbuf_put(b, s + run, len - run);
	json_putc(b, '"');
}

/* At most 6 bytes out per byte in, so the check after is bounded. */
static int
json_enc_string(struct jenc *e, const char *str, size_t len)
{
	if (len > JSON_MAX_OUTPUT - 2 || e->out.len > JSON_MAX_OUTPUT - 2 - len)
		return json_enc_toobig(e);
	json_put_string(&e->out, str, len);
	if (e->out.len > JSON_MAX_OUTPUT)
		return json_enc_toobig(e);
	return 0;
}

static int
json_enc_number(struct jenc *e, int idx)
{
	lua_State	*L = e->L;
	lua_Number	 n;
	char		 buf[64];
	int		 len;

	if (lua_isinteger(L, idx))
		len = json_fmt_integer(buf, sizeof(buf), lua_tointeger(L, idx));
	else {
		n = lua_tonumber(L, idx);
		if (!isfinite(n))
			return json_enc_fail(e,
			    "cannot encode NaN or infinity to JSON");
		len = json_fmt_number(buf, sizeof(buf), n);
	}
	wbuf_put(&e->out, buf, len);
	return 0;
}

/* Count the keys of the table at idx; -1 if they fit neither shape. */
static int
json_enc_shape(struct jenc *e, int idx, lua_Integer *narray, int *isobj)
{
	lua_State	*L = e->L;
	lua_Integer	 npos = 0, max = 0, i;
	int		 nother = 0, t;

	lua_pushnil(L);
	while (lua_next(L, idx) != 0) {
		lua_pop(L, 1);
		t = lua_type(L, -1);
		if (t == LUA_TNUMBER && lua_isinteger(L, -1) &&
		    (i = lua_tointeger(L, -1)) >= 1) {
			npos++;
			if (i > max)
				max = i;
		} else if (t == LUA_TNUMBER || t == LUA_TSTRING ||
		    t == LUA_TBOOLEAN)
			nother = 1;
		else {
			lua_pop(L, 1);
			return json_enc_fail(e,
			    "cannot encode table key of type %s to JSON",
			    lua_typename(L, t));
		}
	}
	if (npos > 0 && nother)
		return json_enc_fail(e, "cannot encode mixed-key table: "
		    "table has both numeric and non-numeric keys");
	if (npos != max)
		return json_enc_fail(e, "cannot encode sparse array: "
		    "non-contiguous numeric keys found");
	*narray = npos;
	*isobj = nother;
	return 0;
}

static int
json_enc_array(struct jenc *e, int idx, lua_Integer n)
{
	lua_State	*L = e->L;
	lua_Integer	 i;

	json_putc(&e->out, '[');
	for (i = 1; i <= n; i++) {
		if (i > 1)
			json_putc(&e->out, ',');
		lua_rawgeti(L, idx, i);
		if (json_enc_value(e, lua_gettop(L)) == -1)
			return -1;
		lua_pop(L, 1);
	}
	json_putc(&e->out, ']');
	return 0;
}

/* Append the key at the top of the stack to the key stack. */
static int
json_enc_addkey(struct jenc *e)
{
	lua_State	*L = e->L;
	struct jkey	*k;
	size_t		 cap;
	char		 buf[64];
	int		 len;

	if (e->nkeys == e->capkeys) {
		cap = e->capkeys ? e->capkeys * 2 : 64;
		if ((k = reallocarray(e->keys, cap, sizeof(*k))) == NULL)
			return luaL_error(L, "not enough memory");
		e->keys = k;
		e->capkeys = cap;
	}
	k = &e->keys[e->nkeys++];
	memset(k, 0, sizeof(*k));
	k->type = lua_type(L, -1);
	if (k->type == LUA_TSTRING) {
		k->s = lua_tolstring(L, -1, &k->len);
		return 0;
	}
	if (k->type == LUA_TBOOLEAN) {
		k->i = lua_toboolean(L, -1);
		len = snprintf(buf, sizeof(buf), "%s", k->i ? "true" : "false");
	} else if ((k->isint = lua_isinteger(L, -1))) {
		k->i = lua_tointeger(L, -1);
		len = json_fmt_integer(buf, sizeof(buf), k->i);
	} else {
		k->n = lua_tonumber(L, -1);
		if (!isfinite(k->n))
			return json_enc_fail(e,
			    "cannot encode NaN or infinity to JSON");
		len = json_fmt_number(buf, sizeof(buf), k->n);
	}
	k->off = e->keytext.len;
	k->len = len;
	wbuf_put(&e->keytext, buf, len);
	return 0;
}

static const char *
json_key_text(const struct jenc *e, const struct jkey *k)
{
	if (k->type == LUA_TSTRING)
		return k->s;
	return (const char *)e->keytext.data + k->off;
}

static int
json_key_cmp(const void *a, const void *b)
{
	const struct jkey	*ka = a, *kb = b;
	size_t			 n = ka->len < kb->len ? ka->len : kb->len;
	int			 c;

	if ((c = memcmp(ka->s, kb->s, n)) != 0)
		return c;
	return (ka->len > kb->len) - (ka->len < kb->len);
}

static void
json_key_push(lua_State *L, const struct jkey *k)
{
	if (k->type == LUA_TSTRING)
		lua_pushlstring(L, k->s, k->len);
	else if (k->type == LUA_TBOOLEAN)
		lua_pushboolean(L, (int)k->i);
	else if (k->isint)
		lua_pushinteger(L, k->i);
	else
		lua_pushnumber(L, k->n);
}

/* Collect and sort the keys of the table at idx on the key stack. */
static int
json_enc_keys(struct jenc *e, int idx, size_t base)
{
	lua_State	*L = e->L;
	size_t		 i, n;

	lua_pushnil(L);
	while (lua_next(L, idx) != 0) {
		lua_pop(L, 1);
		if (json_enc_addkey(e) == -1) {
			lua_pop(L, 1);
			return -1;
		}
	}
	n = e->nkeys - base;
	for (i = base; i < e->nkeys; i++)
		e->keys[i].s = json_key_text(e, &e->keys[i]);
	qsort(e->keys + base, n, sizeof(*e->keys), json_key_cmp);
	for (i = base + 1; i < e->nkeys; i++)
		if (json_key_cmp(&e->keys[i - 1], &e->keys[i]) == 0)
			return json_enc_fail(e, "cannot encode table with two "
			    "keys named \"%.*s\" to JSON",
			    (int)(e->keys[i].len > 64 ? 64 : e->keys[i].len),
			    e->keys[i].s);
	return 0;
}

/*
 * String keys' bytes stay put (the table holds the strings); other keys'
 * text lives in keytext, which may move while values are written.
 */
static int
json_enc_object(struct jenc *e, int idx)
{
	lua_State	*L = e->L;
	struct jkey	 k;
	size_t		 base = e->nkeys, kbase = e->keytext.len, i;

	if (json_enc_keys(e, idx, base) == -1)
		return -1;
	json_putc(&e->out, '{');
	for (i = base; i < e->nkeys; i++) {
		k = e->keys[i];
		if (i > base)
			json_putc(&e->out, ',');
		if (json_enc_string(e, json_key_text(e, &k), k.len) == -1)
			return -1;
		json_putc(&e->out, ':');
		json_key_push(L, &k);
		lua_rawget(L, idx);
		if (json_enc_value(e, lua_gettop(L)) == -1)
			return -1;
		lua_pop(L, 1);
	}
	json_putc(&e->out, '}');
	e->nkeys = base;
	e->keytext.len = kbase;
	return 0;
}

static int
json_enc_table(struct jenc *e, int idx)
{
	const void	*p = lua_topointer(e->L, idx);
	lua_Integer	 n = 0;
	int		 k, isobj = 0, rv;

	for (k = 0; k < e->depth; k++)
		if (e->open[k] == p)
			return json_enc_fail(e, "cannot encode recursively "
			    "nested tables to JSON");
	if (e->depth == JSON_MAX_DEPTH)
		return json_enc_fail(e, "exceeded maximum nesting depth "
		    "(%d) for JSON encoding", JSON_MAX_DEPTH);
	luaL_checkstack(e->L, 4, "json.encode");
	if (json_enc_shape(e, idx, &n, &isobj) == -1)
		return -1;
	e->open[e->depth++] = p;
	rv = isobj ? json_enc_object(e, idx) : json_enc_array(e, idx, n);
	e->depth--;
	return rv;
}

static int
json_enc_value(struct jenc *e, int idx)
{
	lua_State	*L = e->L;
	const char	*s;
	size_t		 len;
	int		 rv;

	if (e->out.len > JSON_MAX_OUTPUT)
		return json_enc_toobig(e);
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		json_puts(&e->out, "null");
		return 0;
	case LUA_TBOOLEAN:
		json_puts(&e->out, lua_toboolean(L, idx) ? "true" : "false");
		return 0;
	case LUA_TNUMBER:
		return json_enc_number(e, idx);
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &len);
		return json_enc_string(e, s, len);
	case LUA_TTABLE:
		return json_enc_table(e, idx);
	case LUA_TUSERDATA:
		if (!errors_is_error(L, idx))
			break;
		s = errors_push_message(L, idx, &len);
		rv = json_enc_string(e, s != NULL ? s : "", s != NULL ? len : 0);
		lua_pop(L, 1);
		return rv;
	}
	return json_enc_fail(e, "cannot encode %s to JSON",
	    luaL_typename(L, idx));
}

/* Protected: (struct jenc *, value) -> the text, or nothing on refusal. */
static int
json_encode_protected(lua_State *L)
{
	struct jenc	*e = lua_touserdata(L, 1);

	if (json_enc_value(e, 2) == -1)
		return 0;
	if (e->out.len > JSON_MAX_OUTPUT) {
		json_enc_toobig(e);
		return 0;
	}
	lua_pushlstring(L, (const char *)e->out.data, e->out.len);
	return 1;
}

static int
json_lua_encode(lua_State *L)
{
	struct jenc	 e;
	int		 st;

	memset(&e, 0, sizeof(e));
	e.L = L;
	lua_settop(L, 1);
	lua_pushcfunction(L, json_encode_protected);
	lua_pushlightuserdata(L, &e);
	lua_pushvalue(L, 1);
	st = lua_pcall(L, 2, 1, 0);
	wbuf_free(&e.out);
	wbuf_free(&e.keytext);
	free(e.keys);
	if (st != LUA_OK)
		return errors_return(L, ERR_INTERNAL, "json.encode: %s",
		    lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) :
		    "error");
	if (e.err[0] != '\0')
		return errors_return(L, ERR_INVALID, "%s", e.err);
	return 1;
}

/* Decoding */

static int
json_dec_fail(struct jdec *d, size_t pos, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	d->errpos = pos;
	return -1;
}

/* "unexpected end of input" or "unexpected character 'x'" at pos. */
static int
json_dec_unexpected(struct jdec *d, size_t pos, const char *what)
{
	int	 c;

	if (pos >= d->len)
		return json_dec_fail(d, pos, "unexpected end of input%s%s",
		    *what ? " " : "", what);
	c = d->s[pos];
	if (c > 0x20 && c < 0x7f && c != '\'')
		return json_dec_fail(d, pos, "unexpected character '%c'%s%s",
		    c, *what ? " " : "", what);
	return json_dec_fail(d, pos, "unexpected byte 0x%02x%s%s", c,
	    *what ? " " : "", what);
}

static void
json_dec_space(struct jdec *d)
{
	const unsigned char	*s = d->s;

	while (d->pos < d->len && (s[d->pos] == ' ' || s[d->pos] == '\n' ||
	    s[d->pos] == '\r' || s[d->pos] == '\t'))
		d->pos++;
}

static int
json_dec_literal(struct jdec *d, const char *word)
{
	size_t	 n = strlen(word), i;

	for (i = 0; i < n; i++)
		if (d->pos + i >= d->len || d->s[d->pos + i] != word[i])
			return json_dec_unexpected(d, d->pos + i,
			    "in literal");
	d->pos += n;
	return 0;
}

static int
json_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static size_t
json_dec_digits(struct jdec *d)
{
	size_t	 start = d->pos;

	while (d->pos < d->len && json_isdigit(d->s[d->pos]))
		d->pos++;
	return d->pos - start;
}

/* Check the RFC 8259 number syntax at pos; sets *isint when no . or e. */
static int
json_dec_numsyntax(struct jdec *d, int *isint)
{
	const unsigned char	*s = d->s;

	*isint = 1;
	if (s[d->pos] == '-')
		d->pos++;
	if (d->pos < d->len && s[d->pos] == '0') {
		d->pos++;
		if (d->pos < d->len && json_isdigit(s[d->pos]))
			return json_dec_fail(d, d->pos - 1,
			    "leading zero in number");
	} else if (json_dec_digits(d) == 0)
		return json_dec_unexpected(d, d->pos, "in number");
	if (d->pos < d->len && s[d->pos] == '.') {
		*isint = 0;
		d->pos++;
		if (json_dec_digits(d) == 0)
			return json_dec_unexpected(d, d->pos,
			    "after decimal point");
	}
	if (d->pos < d->len && (s[d->pos] == 'e' || s[d->pos] == 'E')) {
		*isint = 0;
		d->pos++;
		if (d->pos < d->len && (s[d->pos] == '+' || s[d->pos] == '-'))
			d->pos++;
		if (json_dec_digits(d) == 0)
			return json_dec_unexpected(d, d->pos, "in exponent");
	}
	return 0;
}

/*
 * Short integers are summed here; the rest go through Lua's own reader,
 * which keeps int64 as integers and knows the locale's decimal point.
 */
static int
json_dec_number(struct jdec *d)
{
	size_t		 start = d->pos, i, n;
	lua_Integer	 v = 0;
	int		 isint, neg;

	if (json_dec_numsyntax(d, &isint) == -1)
		return -1;
	n = d->pos - start;
	neg = d->s[start] == '-';
	if (isint && n - neg <= 18) {
		for (i = start + neg; i < d->pos; i++)
			v = v * 10 + (d->s[i] - '0');
		lua_pushinteger(d->L, neg ? -v : v);
		return 0;
	}
	d->scratch.len = 0;
	wbuf_put(&d->scratch, d->s + start, n);
	json_putc(&d->scratch, '\0');
	if (lua_stringtonumber(d->L, (const char *)d->scratch.data) == 0)
		return json_dec_fail(d, start, "invalid number");
	if (!lua_isinteger(d->L, -1) && !isfinite(lua_tonumber(d->L, -1))) {
		lua_pop(d->L, 1);
		return json_dec_fail(d, start, "number out of range");
	}
	return 0;
}

static int
json_dec_hex4(struct jdec *d, size_t pos, unsigned int *cp)
{
	unsigned int	 v = 0;
	size_t		 i;
	int		 c;

	for (i = 0; i < 4; i++) {
		if (pos + i >= d->len)
			return json_dec_unexpected(d, pos + i, "in \\u escape");
		c = d->s[pos + i];
		if (json_isdigit(c))
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return json_dec_unexpected(d, pos + i,
			    "in \\u escape");
	}
	*cp = v;
	return 0;
}

static void
json_put_utf8(struct wbuf *b, unsigned int cp)
{
	if (cp < 0x80)
		json_putc(b, cp);
	else if (cp < 0x800) {
		json_putc(b, 0xc0 | (cp >> 6));
		json_putc(b, 0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		json_putc(b, 0xe0 | (cp >> 12));
		json_putc(b, 0x80 | ((cp >> 6) & 0x3f));
		json_putc(b, 0x80 | (cp & 0x3f));
	} else {
		json_putc(b, 0xf0 | (cp >> 18));
		json_putc(b, 0x80 | ((cp >> 12) & 0x3f));
		json_putc(b, 0x80 | ((cp >> 6) & 0x3f));
		json_putc(b, 0x80 | (cp & 0x3f));
	}
}

/* The \uXXXX at pos (after the backslash), with its low surrogate. */
static int
json_dec_uescape(struct jdec *d)
{
	size_t		 at = d->pos - 1;
	unsigned int	 hi, lo;

	if (json_dec_hex4(d, d->pos + 1, &hi) == -1)
		return -1;
	d->pos += 5;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return json_dec_fail(d, at, "lone low surrogate \\u%04x", hi);
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (d->pos >= d->len || (d->s[d->pos] == '\\' &&
		    d->pos + 1 >= d->len))
			return json_dec_unexpected(d, d->len, "in string");
		if (d->s[d->pos] != '\\' || d->s[d->pos + 1] != 'u')
			return json_dec_fail(d, at,
			    "lone high surrogate \\u%04x", hi);
		if (json_dec_hex4(d, d->pos + 2, &lo) == -1)
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return json_dec_fail(d, at,
			    "lone high surrogate \\u%04x", hi);
		d->pos += 6;
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	json_put_utf8(&d->scratch, hi);
	return 0;
}

/* The escape at pos (a backslash), unescaped into scratch. */
static int
json_dec_escape(struct jdec *d)
{
	static const char	 from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char		*p;
	int			 c;

	d->pos++;
	if (d->pos >= d->len)
		return json_dec_unexpected(d, d->pos, "in string");
	c = d->s[d->pos];
	if (c == 'u')
		return json_dec_uescape(d);
	if (c == '\0' || (p = strchr(from, c)) == NULL)
		return json_dec_fail(d, d->pos - 1, "invalid escape in string");
	json_putc(&d->scratch, to[p - from]);
	d->pos++;
	return 0;
}

/* The string at pos (a quote) pushed; unescaped text goes via scratch. */
static int
json_dec_string(struct jdec *d)
{
	const unsigned char	*s = d->s;
	size_t			 start = ++d->pos, run = start, n;
	int			 escaped = 0, c;

	d->scratch.len = 0;
	for (;;) {
		if (d->pos >= d->len)
			return json_dec_unexpected(d, d->pos, "in string");
		c = s[d->pos];
		if (c == '"')
			break;
		if (c < 0x20)
			return json_dec_fail(d, d->pos,
			    "control character in string");
		if (c == '\\') {
			wbuf_put(&d->scratch, s + run, d->pos - run);
			if (json_dec_escape(d) == -1)
				return -1;
			run = d->pos;
			escaped = 1;
		} else if (c >= 0x80) {
			if ((n = utf8_len(s + d->pos, d->len - d->pos)) == 0)
				return json_dec_fail(d, d->pos,
				    "invalid UTF-8 in string");
			d->pos += n;
		} else
			d->pos++;
	}
	if (escaped) {
		wbuf_put(&d->scratch, s + run, d->pos - run);
		lua_pushlstring(d->L, (const char *)d->scratch.data,
		    d->scratch.len);
	} else
		lua_pushlstring(d->L, (const char *)s + start, d->pos - start);
	d->pos++;
	return 0;
}

/* After an element: 1 at the closing byte, 0 after a comma, -1 if bad. */
static int
json_dec_next(struct jdec *d, int close, const char *what)
{
	json_dec_space(d);
	if (d->pos < d->len && d->s[d->pos] == close) {
		d->pos++;
		return 1;
	}
	if (d->pos >= d->len || d->s[d->pos] != ',')
		return json_dec_unexpected(d, d->pos, what);
	d->pos++;
	json_dec_space(d);
	if (d->pos < d->len && d->s[d->pos] == close)
		return json_dec_fail(d, d->pos, "trailing comma");
	return 0;
}

static int
json_dec_open(struct jdec *d)
{
	if (d->depth == JSON_MAX_DEPTH)
		return json_dec_fail(d, d->pos,
		    "nesting deeper than %d", JSON_MAX_DEPTH);
	d->depth++;
	d->pos++;
	luaL_checkstack(d->L, 4, "json.decode");
	lua_newtable(d->L);
	json_dec_space(d);
	return 0;
}

static int
json_dec_array(struct jdec *d)
{
	lua_Integer	 i;
	int		 r;

	if (json_dec_open(d) == -1)
		return -1;
	if (d->pos < d->len && d->s[d->pos] == ']') {
		d->pos++;
		d->depth--;
		return 0;
	}
	for (i = 1;; i++) {
		if (json_dec_value(d) == -1)
			return -1;
		lua_rawseti(d->L, -2, i);
		if ((r = json_dec_next(d, ']', "after array element")) == -1)
			return -1;
		if (r == 1)
			break;
	}
	d->depth--;
	return 0;
}

static int
json_dec_object(struct jdec *d)
{
	int	 r;

	if (json_dec_open(d) == -1)
		return -1;
	if (d->pos < d->len && d->s[d->pos] == '}') {
		d->pos++;
		d->depth--;
		return 0;
	}
	for (;;) {
		if (d->pos >= d->len || d->s[d->pos] != '"')
			return json_dec_unexpected(d, d->pos,
			    "where an object key was expected");
		if (json_dec_string(d) == -1)
			return -1;
		json_dec_space(d);
		if (d->pos >= d->len || d->s[d->pos] != ':')
			return json_dec_unexpected(d, d->pos,
			    "after object key");
		d->pos++;
		if (json_dec_value(d) == -1)
			return -1;
		lua_rawset(d->L, -3);
		if ((r = json_dec_next(d, '}', "after object member")) == -1)
			return -1;
		if (r == 1)
			break;
	}
	d->depth--;
	return 0;
}

/* One value pushed (nil for null), or -1 with the reason in d. */
static int
json_dec_value(struct jdec *d)
{
	json_dec_space(d);
	if (d->pos >= d->len)
		return json_dec_unexpected(d, d->pos, "");
	switch (d->s[d->pos]) {
	case '{':
		return json_dec_object(d);
	case '[':
		return json_dec_array(d);
	case '"':
		return json_dec_string(d);
	case 't':
		lua_pushboolean(d->L, 1);
		return json_dec_literal(d, "true");
	case 'f':
		lua_pushboolean(d->L, 0);
		return json_dec_literal(d, "false");
	case 'n':
		lua_pushnil(d->L);
		return json_dec_literal(d, "null");
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return json_dec_number(d);
	}
	return json_dec_unexpected(d, d->pos, "");
}

/* Protected: (struct jdec *) -> the value, or nothing on bad input. */
static int
json_decode_protected(lua_State *L)
{
	struct jdec	*d = lua_touserdata(L, 1);

	if (json_dec_value(d) == -1)
		return 0;
	json_dec_space(d);
	if (d->pos < d->len) {
		json_dec_unexpected(d, d->pos, "after JSON value");
		return 0;
	}
	return 1;
}

/* Line and column (bytes, from 1) of the error. */
static void
json_dec_where(const struct jdec *d, int *line, int *col)
{
	size_t	 i, bol = 0;

	*line = 1;
	for (i = 0; i < d->errpos && i < d->len; i++)
		if (d->s[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	*col = (int)(d->errpos - bol) + 1;
}

static int
json_lua_decode(lua_State *L)
{
	struct jdec	 d;
	int		 line, col, st;

	memset(&d, 0, sizeof(d));
	d.L = L;
	if (lua_type(L, 1) != LUA_TSTRING)
		return errors_return(L, ERR_INVALID,
		    "string expected, got %s",
		    luaL_typename(L, 1));
	d.s = (const unsigned char *)lua_tolstring(L, 1, &d.len);
	if (d.len == 0)
		return errors_return(L, ERR_INVALID,
		    "empty string is not valid JSON");
	if (d.len > JSON_MAX_INPUT)
		return errors_return(L, ERR_INVALID,
		    "JSON input is larger than %d bytes", (int)JSON_MAX_INPUT);
	lua_settop(L, 1);
	lua_pushcfunction(L, json_decode_protected);
	lua_pushlightuserdata(L, &d);
	st = lua_pcall(L, 1, 1, 0);
	wbuf_free(&d.scratch);
	if (st != LUA_OK)
		return errors_return(L, ERR_INTERNAL, "json.decode: %s",
		    lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) :
		    "error");
	if (d.err[0] != '\0') {
		json_dec_where(&d, &line, &col);
		return errors_return(L, ERR_INVALID, "invalid JSON: %s at %d:%d",
		    d.err, line, col);
	}
	return 1;
}

/*
 * For C callers (a message from `osactor send`): decode the n bytes at s
 * and push the value, nil for null.  0, or -1 with nothing pushed and
 * the reason in err.
 */
int
json_decode_push(lua_State *L, const char *s, size_t n, char *err,
    size_t errlen)
{
	struct jdec	 d;
	int		 line, col, st;

	memset(&d, 0, sizeof(d));
	d.L = L;
	d.s = (const unsigned char *)s;
	d.len = n;
	if (n == 0) {
		snprintf(err, errlen, "empty string is not valid JSON");
		return -1;
	}
	if (n > JSON_MAX_INPUT) {
		snprintf(err, errlen, "JSON input is larger than %lu bytes",
		    JSON_MAX_INPUT);
		return -1;
	}
	if (!lua_checkstack(L, 3)) {
		snprintf(err, errlen, "Lua stack overflow");
		return -1;
	}
	lua_pushcfunction(L, json_decode_protected);
	lua_pushlightuserdata(L, &d);
	st = lua_pcall(L, 1, 1, 0);
	wbuf_free(&d.scratch);
	if (st != LUA_OK) {
		snprintf(err, errlen, "%s", lua_type(L, -1) == LUA_TSTRING ?
		    lua_tostring(L, -1) : "error");
		lua_pop(L, 1);
		return -1;
	}
	if (d.err[0] != '\0') {
		lua_pop(L, 1);
		json_dec_where(&d, &line, &col);
		snprintf(err, errlen, "invalid JSON: %s at %d:%d", d.err, line,
		    col);
		return -1;
	}
	return 0;
}

int
luaopen_json(lua_State *L)
{
	static const luaL_Reg	 funcs[] = {
		{ "encode", json_lua_encode },
		{ "decode", json_lua_decode },
		{ NULL, NULL },
	};

	luaL_newlib(L, funcs);
	return 1;
}
