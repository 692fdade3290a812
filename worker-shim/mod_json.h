/*
 * mod_json.h: the json module, and its strict decoder for C callers (the
 * shim's JSON deliveries, and osactor send's check of what it sends).
 */
#ifndef OSACTOR_MOD_JSON_H
#define OSACTOR_MOD_JSON_H

#include <stddef.h>

#include <lua.h>

int	 luaopen_json(lua_State *);
int	 json_decode_push(lua_State *, const char *, size_t, char *, size_t);

#endif /* OSACTOR_MOD_JSON_H */
