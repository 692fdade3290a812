/*
 * mod_logger.c: the `logger` module (API.md section 6) and the global
 * `print` (section 1), both writing log lines through log_line().
 *
 * A logger is a userdata with two user values: its fields (a private
 * table, copied on `with`, never handed to Lua so it can be shared) and
 * its name.  A line reads "message key=value ..." with the keys sorted
 * and the values rendered by fmtvalue; the source column is
 * "<entry> <pid>", plus " [name]" for a named logger.  Lines below the
 * level are not formatted at all.
 */
#include <stdio.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "fmtvalue.h"
#include "frame.h"
#include "log.h"
#include "shim.h"

#define LOGGER_META	"osactor.logger"
#define UV_FIELDS	1
#define UV_NAME		2

struct logger {
	int	 unused;	/* all state is in the user values */
};

/*
 * Lines are built here.  Nothing below calls Lua code while the buffer
 * is in use, so it is never reentered; a memory error part way just
 * leaves text that the next line overwrites.
 */
static struct wbuf	 logger_buf;	/* the message */
static struct wbuf	 name_buf, ftext_buf, fjson_buf;

static int
logger_enabled(int level)
{
	return level != LOG_OFF && level <= shim.log_level &&
	    level <= log_level();
}

static void	logger_put_fields(lua_State *, int, struct wbuf *);

/* Start a record: its logger's name (if any) and an empty message. */
static void
logger_begin(lua_State *L, int self)
{
	const char	*name;
	size_t		 len;

	logger_buf.len = logger_buf.off = 0;
	name_buf.len = name_buf.off = 0;
	ftext_buf.len = ftext_buf.off = 0;
	fjson_buf.len = fjson_buf.off = 0;
	if (self != 0 && lua_getiuservalue(L, self, UV_NAME) == LUA_TSTRING) {
		name = lua_tolstring(L, -1, &len);
		wbuf_put(&name_buf, name, strnlen(name, len));
		wbuf_put_u8(&name_buf, '\0');
	}
	if (self != 0)
		lua_pop(L, 1);
}

/* The record, with the fields at idx (0: none), to the log. */
static void
logger_end(lua_State *L, int level, int fields)
{
	struct log_record r = { level, shim.entry, shim.pid, NULL, NULL, 0,
	    NULL, NULL };

	if (fields != 0) {
		logger_put_fields(L, fields, &ftext_buf);
		fmtvalue_append(L, fields, &fjson_buf);
		wbuf_put_u8(&ftext_buf, '\0');
		wbuf_put_u8(&fjson_buf, '\0');
		r.ftext = (const char *)ftext_buf.data;
		r.fjson = (const char *)fjson_buf.data;
	}
	if (name_buf.len > 0)
		r.name = (const char *)name_buf.data;
	r.msg = logger_buf.len > 0 ? (const char *)logger_buf.data : "";
	r.msglen = logger_buf.len;
	log_record(&r);
}

/* A key shows bare when it is one plain word, else as fmtvalue has it. */
static void
logger_put_key(lua_State *L, int idx, struct wbuf *out)
{
	const char	*s;
	size_t		 len, i;

	if (lua_type(L, idx) == LUA_TSTRING) {
		s = lua_tolstring(L, idx, &len);
		for (i = 0; i < len; i++)
			if (s[i] <= 0x20 || s[i] >= 0x7f || s[i] == '=' ||
			    s[i] == '"')
				break;
		if (len > 0 && i == len) {
			wbuf_put(out, s, len);
			return;
		}
	}
	fmtvalue_append(L, idx, out);
}

static void
logger_put_fields(lua_State *L, int fields, struct wbuf *out)
{
	int	 i, n, keys;

	n = fmtvalue_sorted_keys(L, fields);
	keys = lua_gettop(L);
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, keys, i);
		wbuf_put_u8(out, ' ');
		logger_put_key(L, -1, out);
		wbuf_put_u8(out, '=');
		lua_rawget(L, fields);
		fmtvalue_append(L, -1, out);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* Copy the raw pairs of the table at src (absolute) into the one on top. */
static void
logger_copy_into(lua_State *L, int src)
{
	lua_pushnil(L);
	while (lua_next(L, src)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -4);
	}
}

/*
 * Push the fields of one line: the logger's own (user value) overridden
 * by the call's (the table at idx, or nil).  Pushes nil when there are
 * none.
 */
static void
logger_push_fields(lua_State *L, int self, int idx)
{
	int	 base;

	if (self != 0)
		lua_getiuservalue(L, self, UV_FIELDS);
	else
		lua_pushnil(L);
	if (lua_isnil(L, idx))
		return;
	base = lua_gettop(L);
	if (lua_isnil(L, base)) {
		lua_pushvalue(L, idx);
		lua_replace(L, base);
		return;
	}
	lua_newtable(L);
	logger_copy_into(L, base);
	logger_copy_into(L, idx);
	lua_replace(L, base);
}

/* logger:LEVEL(msg, fields?); also tolerated as logger.LEVEL(msg, ...). */
static int
logger_log(lua_State *L, int level)
{
	const char	*msg;
	size_t		 len;
	int		 self, arg, fields;

	self = luaL_testudata(L, 1, LOGGER_META) != NULL ? 1 : 0;
	if (!logger_enabled(level))
		return 0;
	arg = self + 1;
	lua_settop(L, arg + 1);
	if (!lua_isnil(L, arg + 1))
		luaL_checktype(L, arg + 1, LUA_TTABLE);
	msg = luaL_tolstring(L, arg, &len);
	logger_push_fields(L, self, arg + 1);
	fields = lua_gettop(L);
	logger_begin(L, self);
	/* As it is: log.c escapes it for the text or JSON line. */
	wbuf_put(&logger_buf, msg, len);
	logger_end(L, level, lua_isnil(L, fields) ? 0 : fields);
	return 0;
}

static int
logger_debug(lua_State *L)
{
	return logger_log(L, LOG_DEBUG);
}

static int
logger_info(lua_State *L)
{
	return logger_log(L, LOG_INFO);
}

static int
logger_warn(lua_State *L)
{
	return logger_log(L, LOG_WARN);
}

static int
logger_error(lua_State *L)
{
	return logger_log(L, LOG_ERROR);
}

/* Push a new logger with the fields and name on top (popping them). */
static void
logger_new(lua_State *L)
{
	lua_newuserdatauv(L, sizeof(struct logger), 2);
	lua_insert(L, -3);
	lua_setiuservalue(L, -3, UV_NAME);
	lua_setiuservalue(L, -2, UV_FIELDS);
	luaL_setmetatable(L, LOGGER_META);
}

static int
logger_with(lua_State *L)
{
	luaL_checkudata(L, 1, LOGGER_META);
	lua_settop(L, 2);
	if (!lua_isnil(L, 2))
		luaL_checktype(L, 2, LUA_TTABLE);
	lua_getiuservalue(L, 1, UV_FIELDS);
	lua_newtable(L);
	if (lua_istable(L, 3))
		logger_copy_into(L, 3);
	if (!lua_isnil(L, 2))
		logger_copy_into(L, 2);
	lua_getiuservalue(L, 1, UV_NAME);
	logger_new(L);
	return 1;
}

/* Names nest with dots: logger:named("a"):named("b") is "a.b". */
static int
logger_named(lua_State *L)
{
	luaL_checkudata(L, 1, LOGGER_META);
	luaL_checkstring(L, 2);
	lua_settop(L, 2);
	lua_getiuservalue(L, 1, UV_FIELDS);
	if (lua_getiuservalue(L, 1, UV_NAME) == LUA_TSTRING) {
		lua_pushliteral(L, ".");
		lua_pushvalue(L, 2);
		lua_concat(L, 3);
	} else {
		lua_pop(L, 1);
		lua_pushvalue(L, 2);
	}
	logger_new(L);
	return 1;
}

static const luaL_Reg logger_methods[] = {
	{ "debug", logger_debug },
	{ "info", logger_info },
	{ "warn", logger_warn },
	{ "error", logger_error },
	{ "with", logger_with },
	{ "named", logger_named },
	{ NULL, NULL }
};

/* Returns the root logger: no fields, no name. */
int
luaopen_logger(lua_State *L)
{
	if (luaL_newmetatable(L, LOGGER_META)) {
		luaL_newlib(L, logger_methods);
		lua_setfield(L, -2, "__index");
	}
	lua_pop(L, 1);
	lua_pushnil(L);
	lua_pushnil(L);
	logger_new(L);
	return 1;
}

/* The global print: its arguments through tostring, spaces between, INFO. */
int
logger_lua_print(lua_State *L)
{
	luaL_Buffer	 b;
	const char	*s;
	size_t		 len;
	int		 i, n = lua_gettop(L);

	if (!logger_enabled(LOG_INFO))
		return 0;
	luaL_buffinit(L, &b);
	for (i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, ' ');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	s = lua_tolstring(L, -1, &len);
	logger_begin(L, 0);
	wbuf_put(&logger_buf, s, len);
	logger_end(L, LOG_INFO, 0);
	return 0;
}
