/*
 * fmtvalue.h: Lua values rendered as compact JSON-like text, for log
 * lines.  Deterministic (object keys sorted) and safe on any value.
 */
#ifndef OSACTOR_FMTVALUE_H
#define OSACTOR_FMTVALUE_H

#include <stddef.h>

#include <lua.h>

#include "frame.h"

#define FMTVALUE_MAX_DEPTH	32	/* deeper tables print as "<...>" */

void	 fmtvalue_append(lua_State *, int, struct wbuf *);
void	 fmtvalue_string(struct wbuf *, const char *, size_t);
int	 fmtvalue_sorted_keys(lua_State *, int);

/* mod_logger.c: the `logger` module and the global `print`. */
int	 luaopen_logger(lua_State *);
int	 logger_lua_print(lua_State *);

#endif /* OSACTOR_FMTVALUE_H */
