/*
 * mod_errors.h: error objects (API.md section 2), the values that
 * failing calls return as `nil, err`, and the `errors` global.
 */
#ifndef OSACTOR_MOD_ERRORS_H
#define OSACTOR_MOD_ERRORS_H

#include <stddef.h>

#include <lua.h>

#define ERRORS_META	"osactor.error"

/* Kinds; the empty string is UNKNOWN. */
#define ERR_NOT_FOUND		"NotFound"
#define ERR_ALREADY_EXISTS	"AlreadyExists"
#define ERR_INVALID		"Invalid"
#define ERR_PERMISSION_DENIED	"PermissionDenied"
#define ERR_UNAVAILABLE		"Unavailable"
#define ERR_INTERNAL		"Internal"
#define ERR_CANCELED		"Canceled"
#define ERR_CONFLICT		"Conflict"
#define ERR_TIMEOUT		"Timeout"
#define ERR_RATE_LIMITED	"RateLimited"
#define ERR_UNKNOWN		""

int	 luaopen_errors(lua_State *);
void	 errors_push(lua_State *, const char *, const char *);
void	 errors_push_full(lua_State *, const char *, size_t, const char *,
	    size_t, int);
int	 errors_return(lua_State *, const char *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
int	 errors_is_error(lua_State *, int);
int	 errors_push_parts(lua_State *, int);
const char *errors_push_message(lua_State *, int, size_t *);
void	 errors_push_details(lua_State *, int);
void	 errors_set_details(lua_State *, int);
void	 errors_patch_string_lib(lua_State *);

#endif /* OSACTOR_MOD_ERRORS_H */
