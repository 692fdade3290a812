/*
 * value.h: the binary encoding of Lua values carried in messages, spawn
 * arguments and exit results.  Only the shim reads it; the supervisor
 * passes the bytes along.  The format is described at the top of value.c.
 */
#ifndef OSACTOR_VALUE_H
#define OSACTOR_VALUE_H

#include <stddef.h>

#include <lua.h>

#include "frame.h"
#include "proto.h"

/*
 * Room left in what an actor may send for the topic, names and other
 * fields (three names of NAME_MAX_LEN at the most).
 */
#define VALUE_MAX_BYTES		(FRAME_MAX_SEND - 4096)

enum value_tag {
	VALUE_T_NIL = 0,
	VALUE_T_FALSE = 1,
	VALUE_T_TRUE = 2,
	VALUE_T_INT = 3,
	VALUE_T_FLOAT = 4,
	VALUE_T_STRING = 5,
	VALUE_T_TABLE = 6,
	VALUE_T_ERROR = 7,
};

int	 value_encode(lua_State *, int, int, struct wbuf *, char *, size_t);
int	 value_encode_args(lua_State *, int, int, struct wbuf *, char *,
	    size_t);
int	 value_decode(lua_State *, const void *, size_t, int *, char *,
	    size_t);

#endif /* OSACTOR_VALUE_H */
