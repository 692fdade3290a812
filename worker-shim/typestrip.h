/*
 * typestrip.h: Luau-style type annotations blanked out of Lua source, so
 * typed programs compile with the stock Lua 5.4 parser and every error
 * still names the line and column the author wrote.
 */
#ifndef OSACTOR_TYPESTRIP_H
#define OSACTOR_TYPESTRIP_H

#include <stddef.h>

#include <lua.h>

/*
 * Returns 0 and sets *out to a malloc'ed copy of src, *outlen bytes long
 * (always len), where the annotation text is spaces and line breaks are
 * kept; *out is NULL when there was nothing to strip: use src itself.
 * Returns -1 with "line:col: message" in err when an annotation is
 * malformed.  Lexical errors (an unfinished string, say) are left for
 * Lua to report: what comes before them is stripped, the rest is kept.
 */
int	 typestrip(const char *, size_t, char **, size_t *, char *, size_t);

/*
 * luaL_loadbufferx(L, buf, len, chunkname, "t") on the stripped text.  A
 * malformed annotation is LUA_ERRSYNTAX with "chunk:line:column: message"
 * pushed: Lua's own form, with the column annotations know.
 */
int	 typestrip_load(lua_State *, const char *, size_t, const char *);

/*
 * luaL_loadfilex(L, path, "t") on the stripped text: chunk "@path", a
 * UTF-8 BOM and a first line starting with '#' skipped.
 */
int	 typestrip_loadfile(lua_State *, const char *);

#endif /* OSACTOR_TYPESTRIP_H */
