/*
 * mod_json.h: the json module, and its strict decoder for C callers (the
 * shim's JSON deliveries, and osactor send's check of what it sends),
 * and its string quoting, which log lines use too.
 */
#ifndef OSACTOR_MOD_JSON_H
#define OSACTOR_MOD_JSON_H

#include <stddef.h>

#include <lua.h>

struct wbuf;

int	 luaopen_json(lua_State *);
void	 json_put_string(struct wbuf *, const char *, size_t);
int	 json_decode_push(lua_State *, const char *, size_t, char *, size_t);

#endif /* OSACTOR_MOD_JSON_H */
