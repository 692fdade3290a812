/*
 * message.c: Message and Payload objects (API.md section 3).  A message
 * is decoded once, when it arrives; the Lua values are kept in a table
 * {topic, from, n, v1 .. vn} behind the "osactor.message" metatable.  A
 * Payload is opaque, as in Wippy: a userdata holding its value as its
 * user value, behind "osactor.payload".
 */
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "mod_json.h"
#include "shim.h"
#include "udata.h"
#include "value.h"

#define MESSAGE_META	"osactor.message"
#define PAYLOAD_META	"osactor.payload"

enum { MSG_TOPIC = 1, MSG_FROM, MSG_N, MSG_FIRST };

static int	 message_ref = UDATA_NONE, payload_ref = UDATA_NONE;

/* Methods are called on tables: check the metatable by identity. */
static void
check_message(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	if (!udata_hasmeta(L, 1, message_ref))
		luaL_typeerror(L, 1, "message");
}

static int
msg_topic(lua_State *L)
{
	check_message(L);
	lua_rawgeti(L, 1, MSG_TOPIC);
	return 1;
}

static int
msg_from(lua_State *L)
{
	check_message(L);
	lua_rawgeti(L, 1, MSG_FROM);
	return 1;
}

static void
push_payload(lua_State *L, int msg, lua_Integer i)
{
	lua_newuserdatauv(L, 0, 1);
	lua_rawgeti(L, msg, MSG_FIRST + i);
	lua_setiuservalue(L, -2, 1);
	udata_setmeta(L, payload_ref);
}

/* nil for no payload, a Payload for one, an array of them for several. */
static int
msg_payload(lua_State *L)
{
	lua_Integer	 i, n;

	check_message(L);
	lua_rawgeti(L, 1, MSG_N);
	n = lua_tointeger(L, -1);
	lua_pop(L, 1);
	if (n == 0) {
		lua_pushnil(L);
		return 1;
	}
	if (n == 1) {
		push_payload(L, 1, 0);
		return 1;
	}
	lua_createtable(L, (int)n, 0);
	for (i = 0; i < n; i++) {
		push_payload(L, 1, i);
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

static void
check_payload(lua_State *L)
{
	if (udata_test(L, 1, payload_ref) == NULL)
		luaL_typeerror(L, 1, "payload");
}

static int
payload_data(lua_State *L)
{
	check_payload(L);
	lua_getiuservalue(L, 1, 1);
	return 1;
}

static int
payload_format(lua_State *L)
{
	check_payload(L);
	lua_pushliteral(L, "lua/any");
	return 1;
}


static int
msg_tostring(lua_State *L)
{
	lua_rawgeti(L, 1, MSG_TOPIC);
	lua_pushfstring(L, "message(%s)", lua_tostring(L, -1));
	return 1;
}

static const luaL_Reg message_methods[] = {
	{ "topic", msg_topic },
	{ "from", msg_from },
	{ "payload", msg_payload },
	{ NULL, NULL }
};

static const luaL_Reg payload_methods[] = {
	{ "data", payload_data },
	{ "get_format", payload_format },
	{ NULL, NULL }
};

static void
new_meta(lua_State *L, const char *name, const luaL_Reg *methods, int *ref)
{
	udata_newmeta(L, name, ref);
	lua_newtable(L);
	luaL_setfuncs(L, methods, 0);
	lua_setfield(L, -2, "__index");
	lua_pushstring(L, name);
	lua_setfield(L, -2, "__name");
}

void
message_init(lua_State *L)
{
	new_meta(L, MESSAGE_META, message_methods, &message_ref);
	lua_pushcfunction(L, msg_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pop(L, 1);
	new_meta(L, PAYLOAD_META, payload_methods, &payload_ref);
	lua_pop(L, 1);
}

/* Replace the Message at idx by its first payload's value (nil if none). */
void
message_data(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	lua_rawgeti(L, idx, MSG_FIRST);
	lua_replace(L, idx);
}

/*
 * The sender's pid string, as the last message from the same sender had
 * it: a stream from one actor hashes and interns it once, not for each
 * message.  Lua strings are immutable, so sharing one is safe.
 */
static void
push_from(lua_State *L, const char *from, size_t flen)
{
	static char	 last[64];
	static size_t	 lastlen;
	static int	 ref = LUA_NOREF;

	if (ref != LUA_NOREF && flen == lastlen && memcmp(from, last,
	    flen) == 0) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
		return;
	}
	lua_pushlstring(L, from, flen);
	if (flen > sizeof(last))
		return;
	luaL_unref(L, LUA_REGISTRYINDEX, ref);
	lua_pushvalue(L, -1);
	ref = luaL_ref(L, LUA_REGISTRYINDEX);
	memcpy(last, from, flen);
	lastlen = flen;
}

/*
 * Push a Message for a delivery; -1 with err when the payload does not
 * decode (then nothing is pushed).
 */
int
message_push(lua_State *L, const char *from, size_t flen, const char *topic,
    size_t tlen, const void *payload, size_t plen, char *err, size_t errlen)
{
	int	 n, i, msg;

	if (value_decode(L, payload, plen, &n, err, errlen) == -1)
		return -1;
	lua_createtable(L, MSG_FIRST - 1 + n, 0);
	msg = lua_gettop(L);
	for (i = n; i >= 1; i--) {
		lua_pushvalue(L, msg - (n - i) - 1);
		lua_rawseti(L, msg, MSG_FIRST - 1 + i);
	}
	lua_pushlstring(L, topic, tlen);
	lua_rawseti(L, msg, MSG_TOPIC);
	push_from(L, from, flen);
	lua_rawseti(L, msg, MSG_FROM);
	lua_pushinteger(L, n);
	lua_rawseti(L, msg, MSG_N);
	udata_setmeta(L, message_ref);
	if (n > 0) {
		lua_replace(L, msg - n);
		lua_settop(L, msg - n);
	}
	return 0;
}

/*
 * Push a Message whose one payload is JSON text decoded (a message from
 * `osactor send`); -1 with err when it does not decode (nothing pushed).
 */
int
message_push_json(lua_State *L, const char *from, size_t flen,
    const char *topic, size_t tlen, const char *json, size_t jlen, char *err,
    size_t errlen)
{
	int	 msg;

	if (json_decode_push(L, json, jlen, err, errlen) == -1)
		return -1;
	lua_createtable(L, MSG_FIRST, 0);
	msg = lua_gettop(L);
	lua_pushvalue(L, msg - 1);
	lua_rawseti(L, msg, MSG_FIRST);
	lua_pushlstring(L, topic, tlen);
	lua_rawseti(L, msg, MSG_TOPIC);
	push_from(L, from, flen);
	lua_rawseti(L, msg, MSG_FROM);
	lua_pushinteger(L, 1);
	lua_rawseti(L, msg, MSG_N);
	udata_setmeta(L, message_ref);
	lua_replace(L, msg - 1);
	return 0;
}
