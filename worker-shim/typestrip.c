/*
 * typestrip.c: Luau-style type annotations turned into spaces, so typed
 * Lua compiles with the stock Lua 5.4 parser.  A small Lua lexer walks
 * the source; the few places where an annotation can begin (function
 * signatures, local and for names, casts, type statements) are parsed
 * with a permissive type grammar, and what that covers is blanked.  Line
 * breaks are kept, so Lua's messages name the line the author wrote.
 *
 * Plain Lua is never touched: in valid Lua 5.4 none of those places holds
 * a ':' or '<', "::" only opens a "::name::" label (after an expression,
 * one followed by a statement), and a name "type"
 * directly followed by another name cannot start a statement.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "typestrip.h"
#include "xmalloc.h"

/* Types nest at most this deep, so hostile text cannot exhaust the stack. */
#define TS_MAXDEPTH	200
/* How much of the offending token an error message quotes. */
#define TS_NEARMAX	24

/* Single-character tokens are their byte value. */
enum {
	TK_EOF = 256,
	TK_BAD,			/* unfinished string or comment */
	TK_NAME, TK_NUMBER, TK_STRING,
	TK_AND, TK_BREAK, TK_DO, TK_ELSE, TK_ELSEIF, TK_END, TK_FALSE,
	TK_FOR, TK_FUNCTION, TK_GOTO, TK_IF, TK_IN, TK_LOCAL, TK_NIL,
	TK_NOT, TK_OR, TK_REPEAT, TK_RETURN, TK_THEN, TK_TRUE, TK_UNTIL,
	TK_WHILE,
	TK_DOTS, TK_CONCAT, TK_DBCOLON, TK_EQ, TK_GE, TK_LE, TK_NE, TK_SHL,
	TK_SHR, TK_IDIV, TK_ARROW,
	TK_START,		/* nothing taken yet */
	TK_TYPEEND		/* an annotation was just blanked */
};

/* In the order of TK_AND onwards. */
static const char *const ts_keywords[] = {
	"and", "break", "do", "else", "elseif", "end", "false", "for",
	"function", "goto", "if", "in", "local", "nil", "not", "or",
	"repeat", "return", "then", "true", "until", "while",
};

/* Longest first, so "..." is not read as "..". */
static const struct {
	const char	*text;
	int		 kind;
} ts_ops[] = {
	{ "...", TK_DOTS }, { "..", TK_CONCAT }, { "::", TK_DBCOLON },
	{ "==", TK_EQ }, { ">=", TK_GE }, { "<=", TK_LE }, { "~=", TK_NE },
	{ "<<", TK_SHL }, { ">>", TK_SHR }, { "//", TK_IDIV },
	{ "->", TK_ARROW },
};

struct tok {
	int		 kind;
	size_t		 start, end;
};

enum { TS_OK, TS_ERROR, TS_STOP };

struct ts {
	const char	*src;
	size_t		 len;
	size_t		 pos;		/* where the next token is lexed from */
	struct tok	 cur;		/* the next token, once lexed */
	int		 curok;
	size_t		 lastend;	/* end of the last token taken */
	int		 prev;		/* kind of the last token taken */
	int		 depth;
	int		 state;
	char		*out;		/* NULL until something is blanked */
	size_t		 errpos;
	char		 errmsg[96];
};

static int	 ts_type(struct ts *);

/* ---- lexer: Lua 5.4's rules, without its locale ---- */

static int
ts_isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int
ts_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
ts_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static int
ts_isxdigit(int c)
{
	return ts_isdigit(c) || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* Whether a long bracket ("[[", "[==[") opens at p; *level counts '='. */
static int
lex_longopen(const struct ts *ts, size_t p, size_t *level)
{
	size_t	 q = p + 1;

	while (q < ts->len && ts->src[q] == '=')
		q++;
	*level = q - p - 1;
	return q < ts->len && ts->src[q] == '[';
}

/* Just past the closing bracket of that level at or after p, or 0. */
static size_t
lex_longclose(const struct ts *ts, size_t p, size_t level)
{
	size_t	 q;

	for (; p < ts->len; p++) {
		if (ts->src[p] != ']')
			continue;
		for (q = p + 1; q < ts->len && ts->src[q] == '='; q++)
			;
		if (q - p - 1 == level && q < ts->len && ts->src[q] == ']')
			return q + 1;
	}
	return 0;
}

/* Just past the short string opening at p, or 0 when it is unfinished. */
static size_t
lex_string(const struct ts *ts, size_t p)
{
	const char	*s = ts->src;
	char		 quote = s[p++], c;

	while (p < ts->len) {
		c = s[p++];
		if (c == quote)
			return p;
		if (c == '\n' || c == '\r')
			return 0;
		if (c != '\\' || p >= ts->len)
			continue;
		c = s[p++];
		if (c == 'z') {
			while (p < ts->len && ts_isspace((unsigned char)s[p]))
				p++;
		} else if ((c == '\n' || c == '\r') && p < ts->len &&
		    (s[p] == '\n' || s[p] == '\r') && s[p] != c)
			p++;	/* "\r\n" and "\n\r" are one line break */
	}
	return 0;
}

/* Like read_numeral in llex.c: hex digits, '.', exponents with signs. */
static size_t
lex_number(const struct ts *ts, size_t p)
{
	const unsigned char	*s = (const unsigned char *)ts->src;
	const char		*expo = "Ee";

	if (s[p] == '0' && p + 1 < ts->len && (s[p + 1] == 'x' ||
	    s[p + 1] == 'X')) {
		expo = "Pp";
		p += 2;
	}
	for (;;) {
		if (p < ts->len && (s[p] == expo[0] || s[p] == expo[1])) {
			p++;
			if (p < ts->len && (s[p] == '+' || s[p] == '-'))
				p++;
		} else if (p < ts->len && (ts_isxdigit(s[p]) || s[p] == '.'))
			p++;
		else
			break;
	}
	/* A numeral touching a letter is one malformed token to Lua. */
	if (p < ts->len && ts_isalpha(s[p]))
		p++;
	return p;
}

static void
lex_name(const struct ts *ts, size_t p, struct tok *t)
{
	size_t	 i, n;

	while (p < ts->len && (ts_isalpha((unsigned char)ts->src[p]) ||
	    ts_isdigit((unsigned char)ts->src[p])))
		p++;
	t->end = p;
	t->kind = TK_NAME;
	n = p - t->start;
	for (i = 0; i < sizeof(ts_keywords) / sizeof(ts_keywords[0]); i++)
		if (strlen(ts_keywords[i]) == n &&
		    memcmp(ts_keywords[i], ts->src + t->start, n) == 0) {
			t->kind = TK_AND + (int)i;
			break;
		}
}

static void
lex_op(const struct ts *ts, size_t p, struct tok *t)
{
	size_t	 i, n;

	for (i = 0; i < sizeof(ts_ops) / sizeof(ts_ops[0]); i++) {
		n = strlen(ts_ops[i].text);
		if (ts->len - p >= n && memcmp(ts->src + p, ts_ops[i].text,
		    n) == 0) {
			t->kind = ts_ops[i].kind;
			t->end = p + n;
			return;
		}
	}
	t->kind = (unsigned char)ts->src[p];
	t->end = p + 1;
}

/* Past the spaces and comments at p; SIZE_MAX at an unfinished comment. */
static size_t
lex_skip(const struct ts *ts, size_t p)
{
	const char	*s = ts->src;
	size_t		 level;

	for (;;) {
		while (p < ts->len && ts_isspace((unsigned char)s[p]))
			p++;
		if (p + 1 >= ts->len || s[p] != '-' || s[p + 1] != '-')
			return p;
		p += 2;
		if (p < ts->len && s[p] == '[' && lex_longopen(ts, p, &level)) {
			if ((p = lex_longclose(ts, p + level + 2, level)) == 0)
				return SIZE_MAX;
		} else
			while (p < ts->len && s[p] != '\n' && s[p] != '\r')
				p++;
	}
}

/* The token that starts at or after p, into t. */
static void
lex_next(const struct ts *ts, size_t p, struct tok *t)
{
	size_t	 level, e;
	int	 c;

	if ((e = lex_skip(ts, p)) == SIZE_MAX) {
		t->kind = TK_BAD;
		t->start = p;
		t->end = ts->len;
		return;
	}
	p = t->start = t->end = e;
	if (p >= ts->len) {
		t->kind = TK_EOF;
		return;
	}
	c = (unsigned char)ts->src[p];
	if (ts_isalpha(c))
		lex_name(ts, p, t);
	else if (ts_isdigit(c) || (c == '.' && p + 1 < ts->len &&
	    ts_isdigit((unsigned char)ts->src[p + 1]))) {
		t->kind = TK_NUMBER;
		t->end = lex_number(ts, p);
	} else if (c == '"' || c == '\'' || (c == '[' &&
	    lex_longopen(ts, p, &level))) {
		e = c == '[' ? lex_longclose(ts, p + level + 2, level) :
		    lex_string(ts, p);
		t->kind = e == 0 ? TK_BAD : TK_STRING;
		t->end = e == 0 ? ts->len : e;
	} else
		lex_op(ts, p, t);
}

/* ---- token stream ---- */

static const struct tok *
ts_peek(struct ts *ts)
{
	if (!ts->curok) {
		lex_next(ts, ts->pos, &ts->cur);
		ts->curok = 1;
	}
	return &ts->cur;
}

static int
ts_kind(struct ts *ts)
{
	return ts_peek(ts)->kind;
}

/* The kind of the token n places after the next one, itself into t. */
static int
ts_ahead(struct ts *ts, int n, struct tok *t)
{
	*t = *ts_peek(ts);
	while (n-- > 0 && t->kind != TK_EOF && t->kind != TK_BAD)
		lex_next(ts, t->end, t);
	return t->kind;
}

static void
ts_take(struct ts *ts)
{
	const struct tok	*t = ts_peek(ts);

	ts->pos = ts->lastend = t->end;
	ts->prev = t->kind;
	ts->curok = 0;
}

static void
ts_takeby(struct ts *ts, int n)
{
	while (n-- > 0)
		ts_take(ts);
}

static int
ts_isword(const struct ts *ts, const struct tok *t, const char *word)
{
	size_t	 n = strlen(word);

	return t->kind == TK_NAME && t->end - t->start == n &&
	    memcmp(ts->src + t->start, word, n) == 0;
}

/*
 * Fails at the next token.  At an unfinished string or comment the pass
 * just stops: Lua's own message about it is the better one.
 */
static int
ts_fail(struct ts *ts, const char *what)
{
	const struct tok	*t = ts_peek(ts);
	size_t			 n;

	if (t->kind == TK_BAD) {
		ts->state = TS_STOP;
		return -1;
	}
	ts->state = TS_ERROR;
	ts->errpos = t->start;
	if (t->kind == TK_EOF) {
		snprintf(ts->errmsg, sizeof(ts->errmsg), "%s near <eof>", what);
		return -1;
	}
	for (n = 0; n < t->end - t->start && n < TS_NEARMAX; n++)
		if (ts->src[t->start + n] == '\n' ||
		    ts->src[t->start + n] == '\r')
			break;
	snprintf(ts->errmsg, sizeof(ts->errmsg), "%s near '%.*s'", what,
	    (int)n, ts->src + t->start);
	return -1;
}

static int
ts_expect(struct ts *ts, int kind, const char *what)
{
	if (ts_kind(ts) != kind)
		return ts_fail(ts, what);
	ts_take(ts);
	return 0;
}

/* Spaces over [from, to), line breaks kept. */
static void
ts_blank(struct ts *ts, size_t from, size_t to)
{
	size_t	 i;

	if (ts->out == NULL) {
		ts->out = xmalloc(ts->len);
		memcpy(ts->out, ts->src, ts->len);
	}
	for (i = from; i < to; i++)
		if (ts->src[i] != '\n' && ts->src[i] != '\r')
			ts->out[i] = ' ';
	ts->prev = TK_TYPEEND;
}

/* Whether a token of this kind can end an expression. */
static int
ts_ends_expr(int kind)
{
	switch (kind) {
	case TK_NAME: case TK_NUMBER: case TK_STRING: case TK_DOTS:
	case TK_TRUE: case TK_FALSE: case TK_NIL: case TK_END:
	case ')': case ']': case '}': case TK_TYPEEND:
		return 1;
	}
	return 0;
}

/* Whether a statement may begin right after a token of this kind. */
static int
ts_stmt_may_follow(int kind)
{
	switch (kind) {
	case TK_START: case TK_BREAK: case TK_DO: case TK_THEN:
	case TK_ELSE: case TK_REPEAT: case ';': case TK_DBCOLON:
		return 1;
	}
	return ts_ends_expr(kind);
}

/* ---- types ---- */

/* "<const>" or "<close>": a Lua 5.4 attribute, not type arguments. */
static int
ts_attrib_follows(struct ts *ts)
{
	struct tok	 a;

	if (ts_kind(ts) != '<' || ts_ahead(ts, 2, &a) != '>')
		return 0;
	ts_ahead(ts, 1, &a);
	return ts_isword(ts, &a, "const") || ts_isword(ts, &a, "close");
}

static int
ts_at_close_angle(struct ts *ts)
{
	int	 k = ts_kind(ts);

	return k == '>' || k == TK_SHR || k == TK_GE;
}

/* '>', taken off the front of ">>" or ">=" when Lua's lexer joined them. */
static int
ts_close_angle(struct ts *ts)
{
	const struct tok	*t = ts_peek(ts);

	if (t->kind == '>') {
		ts_take(ts);
		return 0;
	}
	if (t->kind != TK_SHR && t->kind != TK_GE)
		return ts_fail(ts, "'>' expected");
	ts->pos = ts->lastend = t->start + 1;
	ts->prev = '>';
	ts->curok = 0;
	return 0;
}

/* "<T, U...>" or, in type statements, "<T = number, U... = ...string>". */
static int
ts_generic_params(struct ts *ts)
{
	ts_take(ts);
	while (!ts_at_close_angle(ts)) {
		if (ts_expect(ts, TK_NAME, "type parameter expected") == -1)
			return -1;
		if (ts_kind(ts) == TK_DOTS)
			ts_take(ts);
		if (ts_kind(ts) == '=') {
			ts_take(ts);
			if (ts_type(ts) == -1)
				return -1;
		}
		if (ts_kind(ts) != ',')
			break;
		ts_take(ts);
	}
	return ts_close_angle(ts);
}

/* "<number, (string, boolean), ...any>" after a type name. */
static int
ts_generic_args(struct ts *ts)
{
	ts_take(ts);
	while (!ts_at_close_angle(ts)) {
		if (ts_type(ts) == -1)
			return -1;
		if (ts_kind(ts) != ',')
			break;
		ts_take(ts);
	}
	return ts_close_angle(ts);
}

/* typeof(expr): the expression is skipped by its brackets. */
static int
ts_balanced(struct ts *ts)
{
	size_t	 open = 0;
	int	 k;

	do {
		k = ts_kind(ts);
		if (k == TK_EOF || k == TK_BAD)
			return ts_fail(ts, "')' expected");
		if (k == '(' || k == '[' || k == '{')
			open++;
		else if (k == ')' || k == ']' || k == '}')
			open--;
		ts_take(ts);
	} while (open > 0);
	return 0;
}

/* One field of a table type: "[K]: V", "name: T", "read name: T" or "T". */
static int
ts_field(struct ts *ts)
{
	struct tok	 a;
	int		 k = ts_kind(ts), k1;

	if (k == '[') {
		ts_take(ts);
		if (ts_type(ts) == -1 ||
		    ts_expect(ts, ']', "']' expected") == -1 ||
		    ts_expect(ts, ':', "':' expected") == -1)
			return -1;
	} else if (k == TK_NAME) {
		if ((k1 = ts_ahead(ts, 1, &a)) == ':')
			ts_takeby(ts, 2);
		else if (k1 == TK_NAME && ts_ahead(ts, 2, &a) == ':')
			ts_takeby(ts, 3);
	}
	return ts_type(ts);
}

static int
ts_table(struct ts *ts)
{
	ts_take(ts);
	while (ts_kind(ts) != '}') {
		if (ts_field(ts) == -1)
			return -1;
		if (ts_kind(ts) != ',' && ts_kind(ts) != ';')
			break;
		ts_take(ts);
	}
	return ts_expect(ts, '}', "'}' expected");
}

/* "(T)", a pack "(T, U)", or a function type "(a: T, ...U) -> R". */
static int
ts_paren(struct ts *ts)
{
	struct tok	 a;

	ts_take(ts);
	while (ts_kind(ts) != ')') {
		if (ts_kind(ts) == TK_NAME && ts_ahead(ts, 1, &a) == ':')
			ts_takeby(ts, 2);
		if (ts_type(ts) == -1)
			return -1;
		if (ts_kind(ts) != ',')
			break;
		ts_take(ts);
	}
	if (ts_expect(ts, ')', "')' expected") == -1)
		return -1;
	if (ts_kind(ts) != TK_ARROW)
		return 0;
	ts_take(ts);
	return ts_type(ts);
}

/* A name "a.b.T", its type arguments, "T..." for a generic pack. */
static int
ts_named(struct ts *ts)
{
	struct tok	 a;

	if (ts_isword(ts, ts_peek(ts), "typeof") &&
	    ts_ahead(ts, 1, &a) == '(') {
		ts_take(ts);
		return ts_balanced(ts);
	}
	ts_take(ts);
	while (ts_kind(ts) == '.' && ts_ahead(ts, 1, &a) == TK_NAME)
		ts_takeby(ts, 2);
	if (ts_kind(ts) == '<' && !ts_attrib_follows(ts) &&
	    ts_generic_args(ts) == -1)
		return -1;
	if (ts_kind(ts) == TK_DOTS)
		ts_take(ts);
	return 0;
}

/* A type without unions, intersections or '?'. */
static int
ts_simple(struct ts *ts)
{
	switch (ts_kind(ts)) {
	case TK_NIL:
	case TK_TRUE:
	case TK_FALSE:
	case TK_STRING:
		ts_take(ts);
		return 0;
	case TK_DOTS:
		ts_take(ts);
		return ts_type(ts);
	case TK_NAME:
		return ts_named(ts);
	case '{':
		return ts_table(ts);
	case '(':
		return ts_paren(ts);
	case '<':
		if (ts_generic_params(ts) == -1)
			return -1;
		if (ts_kind(ts) != '(')
			return ts_fail(ts, "'(' expected");
		return ts_paren(ts);
	}
	return ts_fail(ts, "type expected");
}

static int
ts_type(struct ts *ts)
{
	int	 k, rv = -1;

	if (ts->depth >= TS_MAXDEPTH)
		return ts_fail(ts, "type nested too deeply");
	ts->depth++;
	if (ts_kind(ts) == '|' || ts_kind(ts) == '&')
		ts_take(ts);
	if (ts_simple(ts) == -1)
		goto out;
	for (;;) {
		k = ts_kind(ts);
		if (k == '?')
			ts_take(ts);
		else if (k == '|' || k == '&') {
			ts_take(ts);
			if (ts_simple(ts) == -1)
				goto out;
		} else
			break;
	}
	rv = 0;
out:
	ts->depth--;
	return rv;
}

/* ---- where annotations are ---- */

/* ": T" if it comes next, blanked. */
static int
ts_annotation(struct ts *ts)
{
	size_t	 from;

	if (ts_kind(ts) != ':')
		return 0;
	from = ts_peek(ts)->start;
	ts_take(ts);
	if (ts_type(ts) == -1)
		return -1;
	ts_blank(ts, from, ts->lastend);
	return 0;
}

/*
 * After "function": the name, generic parameters, annotated parameters
 * and the result type.  Anything unexpected is left to Lua.
 */
static int
ts_function(struct ts *ts)
{
	struct tok	 a;
	size_t		 from;
	int		 k;

	if (ts_kind(ts) == TK_NAME) {
		ts_take(ts);
		while (((k = ts_kind(ts)) == '.' || k == ':') &&
		    ts_ahead(ts, 1, &a) == TK_NAME)
			ts_takeby(ts, 2);
	}
	if (ts_kind(ts) == '<') {
		from = ts_peek(ts)->start;
		if (ts_generic_params(ts) == -1)
			return -1;
		ts_blank(ts, from, ts->lastend);
	}
	if (ts_kind(ts) != '(')
		return 0;
	ts_take(ts);
	while ((k = ts_kind(ts)) != ')') {
		if (k != TK_NAME && k != TK_DOTS)
			return 0;
		ts_take(ts);
		if (ts_annotation(ts) == -1)
			return -1;
		if (ts_kind(ts) != ',')
			break;
		ts_take(ts);
	}
	if (ts_kind(ts) != ')')
		return 0;
	ts_take(ts);
	return ts_annotation(ts);
}

static void
ts_attrib(struct ts *ts)
{
	if (ts_attrib_follows(ts))
		ts_takeby(ts, 3);
}

/* After "local" (or "for" without attributes): "a: T <const>, b: U". */
static int
ts_names(struct ts *ts, int attribs)
{
	for (;;) {
		if (ts_kind(ts) != TK_NAME)
			return 0;
		ts_take(ts);
		if (attribs)
			ts_attrib(ts);
		if (ts_annotation(ts) == -1)
			return -1;
		if (attribs)
			ts_attrib(ts);
		if (ts_kind(ts) != ',')
			return 0;
		ts_take(ts);
	}
}

/*
 * A cursor for looking far ahead: each step lexes one token, where
 * ts_ahead(n) lexes n from the start again (looking to the end of the
 * text that way, once per "::", made a long source take cubic time).
 */
struct cursor {
	struct ts	*ts;
	struct tok	 t;
};

static void
cur_init(struct cursor *c, struct ts *ts, int n)
{
	c->ts = ts;
	ts_ahead(ts, n, &c->t);
}

/* The token after c's, into nx, c staying where it is. */
static int
cur_peek(const struct cursor *c, struct tok *nx)
{
	*nx = c->t;
	if (nx->kind != TK_EOF && nx->kind != TK_BAD)
		lex_next(c->ts, nx->end, nx);
	return nx->kind;
}

static int
cur_next(struct cursor *c)
{
	struct tok	 nx;

	cur_peek(c, &nx);
	c->t = nx;
	return c->t.kind;
}

/*
 * How far the look past "::a::" may go, in tokens: past it the "::" is
 * taken for a label (what Lua itself would say).  Without a bound, an
 * unclosed "[" made every "::" look to the end: quadratic in the source.
 */
#define LABEL_LOOK_MAX	4096

/*
 * Past an assignment target "a", "a.b" or "a[i].b" whose name c is at:
 * c ends on the token after it; 0, or -1 when that is beyond the bound.
 */
static int
ts_skip_target(struct cursor *c, int *budget)
{
	struct tok	 nx;
	int		 k, open;

	for (k = cur_next(c);; ) {
		if (--*budget < 0)
			return -1;
		if (k == '.' && cur_peek(c, &nx) == TK_NAME) {
			c->t = nx;
			k = cur_next(c);
		} else if (k == '[') {
			for (open = 1; open > 0; ) {
				k = cur_next(c);
				if (k == TK_EOF || k == TK_BAD)
					return 0;
				if (--*budget < 0)
					return -1;
				open += k == '[' ? 1 : k == ']' ? -1 : 0;
			}
			k = cur_next(c);
		} else
			return 0;
	}
}

/*
 * After an expression, "::a::" is a label only if a statement can begin
 * with what follows; else it is the middle of chained casts ("x :: any
 * :: number").  n is how far ahead the token after the second "::" is.
 * A name begins a statement only as a call, an assignment ("a, b.c = ")
 * or a type statement.
 */
static int
ts_label_ends(struct ts *ts, int n)
{
	struct cursor	 c;
	struct tok	 nx;
	int		 k, budget = LABEL_LOOK_MAX;

	cur_init(&c, ts, n);
	switch (c.t.kind) {
	case '{': case '<': case '|': case '&': case '?': case TK_STRING:
	case TK_NIL: case TK_TRUE: case TK_FALSE: case TK_DOTS:
		return 0;		/* a type, never a statement */
	case TK_NAME:
		break;
	default:
		return 1;
	}
	if ((ts_isword(ts, &c.t, "type") || ts_isword(ts, &c.t, "export")) &&
	    cur_peek(&c, &nx) == TK_NAME)
		return 1;
	if (ts_skip_target(&c, &budget) == -1)
		return 1;
	if ((k = c.t.kind) == ',') {
		while ((k = c.t.kind) == ',' && cur_peek(&c, &nx) == TK_NAME) {
			c.t = nx;
			if (ts_skip_target(&c, &budget) == -1)
				return 1;
		}
		return k == '=';
	}
	switch (k) {
	case '=': case '(': case ':': case '{': case TK_STRING:
		return 1;
	}
	return 0;
}

/* A "::name::" label is Lua's; "::" after an expression is a cast. */
static int
ts_dbcolon(struct ts *ts)
{
	struct tok	 a;
	size_t		 from = ts_peek(ts)->start;
	int		 label;

	label = ts_ahead(ts, 1, &a) == TK_NAME &&
	    ts_ahead(ts, 2, &a) == TK_DBCOLON;
	/* "x :: T ::done::", "x :: any :: T": casts, not a label. */
	if (label && ts_ends_expr(ts->prev))
		label = ts_label_ends(ts, 3);
	if (label) {
		ts_takeby(ts, 3);
		return 0;
	}
	if (!ts_ends_expr(ts->prev)) {
		ts_take(ts);
		return 0;
	}
	ts_take(ts);
	if (ts_type(ts) == -1)
		return -1;
	ts_blank(ts, from, ts->lastend);
	return 0;
}

/*
 * "type Name<T> = T" or "export type ...", blanked whole; 1 when the
 * next tokens are not one ("type(x)", "type = 2").
 */
static int
ts_typestmt(struct ts *ts)
{
	struct tok	 a;
	size_t		 from = ts_peek(ts)->start;
	int		 k, n = 0;

	if (ts_isword(ts, ts_peek(ts), "export")) {
		ts_ahead(ts, 1, &a);
		if (!ts_isword(ts, &a, "type"))
			return 1;
		n = 1;
	} else if (!ts_isword(ts, ts_peek(ts), "type"))
		return 1;
	if (ts_ahead(ts, n + 1, &a) != TK_NAME)
		return 1;
	if ((k = ts_ahead(ts, n + 2, &a)) != '=' && k != '<')
		return 1;
	ts_takeby(ts, n + 2);
	if (k == '<' && ts_generic_params(ts) == -1)
		return -1;
	if (ts_expect(ts, '=', "'=' expected") == -1 || ts_type(ts) == -1)
		return -1;
	ts_blank(ts, from, ts->lastend);
	return 0;
}

static void
ts_run(struct ts *ts)
{
	while (ts->state == TS_OK) {
		switch (ts_kind(ts)) {
		case TK_EOF:
			return;
		case TK_BAD:
			ts->state = TS_STOP;
			break;
		case TK_FUNCTION:
			ts_take(ts);
			ts_function(ts);
			break;
		case TK_LOCAL:
			ts_take(ts);
			ts_names(ts, 1);
			break;
		case TK_FOR:
			ts_take(ts);
			ts_names(ts, 0);
			break;
		case TK_DBCOLON:
			ts_dbcolon(ts);
			break;
		case TK_NAME:
			if (ts_stmt_may_follow(ts->prev) &&
			    ts_typestmt(ts) != 1)
				break;
			ts_take(ts);
			break;
		default:
			ts_take(ts);
			break;
		}
	}
}

/* ---- entry points ---- */

/* Lua skips a UTF-8 BOM and a first line starting with '#' in files. */
static size_t
ts_skiphead(const char *s, size_t len)
{
	size_t	 p = 0;

	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		p = 3;
	if (p < len && s[p] == '#')
		while (p < len && s[p] != '\n')
			p++;
	return p;
}

/* Every annotation holds a ':' or a '<', or is a type statement. */
static int
ts_plain(const char *s, size_t len)
{
	return len == 0 || s[0] == LUA_SIGNATURE[0] ||
	    (memchr(s, ':', len) == NULL && memchr(s, '<', len) == NULL &&
	    memmem(s, len, "type", 4) == NULL);
}

static int
ts_strip(struct ts *ts, const char *src, size_t len)
{
	memset(ts, 0, sizeof(*ts));
	ts->src = src;
	ts->len = len;
	ts->prev = TK_START;
	if (ts_plain(src, len))
		return 0;
	ts->pos = ts_skiphead(src, len);
	ts_run(ts);
	if (ts->state != TS_ERROR)
		return 0;
	free(ts->out);
	ts->out = NULL;
	return -1;
}

/* Lines as Lua counts them: "\n", "\r", "\r\n" and "\n\r" each end one. */
static void
ts_linecol(const struct ts *ts, unsigned long *line, unsigned long *col)
{
	const char	*s = ts->src;
	size_t		 i, bol = 0;

	*line = 1;
	for (i = 0; i < ts->errpos; i++) {
		if (s[i] != '\n' && s[i] != '\r')
			continue;
		if (i + 1 < ts->errpos && (s[i + 1] == '\n' ||
		    s[i + 1] == '\r') && s[i + 1] != s[i])
			i++;
		(*line)++;
		bol = i + 1;
	}
	*col = ts->errpos - bol + 1;
}

int
typestrip(const char *src, size_t len, char **out, size_t *outlen,
    char *err, size_t errlen)
{
	struct ts	 ts;
	unsigned long	 line, col;

	*out = NULL;
	*outlen = len;
	if (ts_strip(&ts, src, len) == -1) {
		ts_linecol(&ts, &line, &col);
		if (errlen > 0)
			snprintf(err, errlen, "%lu:%lu: %s", line, col,
			    ts.errmsg);
		return -1;
	}
	*out = ts.out;
	return 0;
}

int
typestrip_load(lua_State *L, const char *buf, size_t len,
    const char *chunkname)
{
	struct ts	 ts;
	lua_Debug	 ar;
	unsigned long	 line, col;
	int		 rv;

	if (ts_strip(&ts, buf, len) == 0) {
		rv = luaL_loadbufferx(L, ts.out != NULL ? ts.out : buf, len,
		    chunkname, "t");
		free(ts.out);
		return rv;
	}
	/* Lua's own short name for the chunk, from an empty one. */
	if ((rv = luaL_loadbufferx(L, "", 0, chunkname, "t")) != LUA_OK)
		return rv;
	lua_getinfo(L, ">S", &ar);
	ts_linecol(&ts, &line, &col);
	/* file:line:column: message, as every error in an app reads. */
	lua_pushfstring(L, "%s:%I:%I: %s", ar.short_src, (lua_Integer)line,
	    (lua_Integer)col, ts.errmsg);
	return LUA_ERRSYNTAX;
}

/* The whole of f, or NULL with errno set. */
static char *
ts_slurp(FILE *f, size_t *len)
{
	char	*buf = NULL;
	size_t	 cap = 0, n;

	*len = 0;
	for (;;) {
		if (*len == cap) {
			if (cap > SIZE_MAX / 2) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			cap = cap == 0 ? 65536 : cap * 2;
			buf = xrealloc(buf, cap);
		}
		if ((n = fread(buf + *len, 1, cap - *len, f)) == 0)
			break;
		*len += n;
	}
	if (ferror(f)) {
		free(buf);
		if (errno == 0)
			errno = EIO;
		return NULL;
	}
	return buf;
}

int
typestrip_loadfile(lua_State *L, const char *path)
{
	FILE	*f;
	char	*buf;
	size_t	 len, off;
	int	 rv;

	if ((f = fopen(path, "re")) == NULL) {
		lua_pushfstring(L, "cannot open %s: %s", path, strerror(errno));
		return LUA_ERRFILE;
	}
	errno = 0;
	buf = ts_slurp(f, &len);
	if (buf == NULL) {
		lua_pushfstring(L, "cannot read %s: %s", path, strerror(errno));
		fclose(f);
		return LUA_ERRFILE;
	}
	fclose(f);
	/* The '#' line's own line break stays, so line numbers hold. */
	off = ts_skiphead(buf, len);
	lua_pushfstring(L, "@%s", path);
	rv = typestrip_load(L, buf + off, len - off, lua_tostring(L, -1));
	lua_remove(L, -2);
	free(buf);
	return rv;
}
