/*
 * sandbox.c: the globals of an actor's Lua state (API.md section 1).
 * Stock Lua's io, debug, package, most of os and binary chunks are out
 * of reach; runtime modules become globals only when the entry lists
 * them, and `require` hands out nothing else.  An actor is untrusted:
 * whatever it can reach here is what it can do to the host.
 *
 * Each entry has its own scope: the actor's main entry has the state's
 * globals, and each library.lua entry a global table of its own whose
 * misses fall through to the standard globals, so neither sees the
 * other's modules: or imports:.
 */
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "fmtvalue.h"
#include "log.h"
#include "mod_channel.h"
#include "mod_errors.h"
#include "sandbox.h"
#include "sched.h"
#include "shim.h"
#include "xmalloc.h"

#define SANDBOX_MAX	32
#define ENVMETA_KEY	"osactor.envmeta"	/* {__index = standard globals} */
#define LOAD_KEY	"osactor.load"		/* stock Lua's load */

static struct {
	const char	*name;
	lua_CFunction	 open;
} openers[SANDBOX_MAX];
static size_t	 nopeners;

static const luaL_Reg std_libs[] = {
	{ LUA_GNAME, luaopen_base },
	{ LUA_COLIBNAME, luaopen_coroutine },
	{ LUA_TABLIBNAME, luaopen_table },
	{ LUA_STRLIBNAME, luaopen_string },
	{ LUA_MATHLIBNAME, luaopen_math },
	{ LUA_UTF8LIBNAME, luaopen_utf8 },
};

/* Base functions that reach files, raw stderr, or binary chunks. */
static const char *const base_removed[] = {
	"dofile", "loadfile", "warn",
};

static const char *const os_kept[] = {
	"time", "date", "clock", "difftime",
};

/* Runtime modules every entry has as globals (process when registered). */
static const char *const always_globals[] = {
	"errors", "channel", "process",
};

/* What require() gives every entry, listed or not. */
static const char *const always_required[] = {
	LUA_COLIBNAME, LUA_TABLIBNAME, LUA_STRLIBNAME, LUA_MATHLIBNAME,
	LUA_UTF8LIBNAME, "errors", "channel", "process",
};

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* The name is kept, not copied: callers pass string literals. */
void
sandbox_register(const char *name, lua_CFunction open)
{
	size_t	 i;

	for (i = 0; i < nopeners; i++)
		if (strcmp(openers[i].name, name) == 0) {
			openers[i].open = open;
			return;
		}
	if (nopeners == SANDBOX_MAX)
		fatalx("sandbox_register: too many modules");
	openers[nopeners].name = name;
	openers[nopeners++].open = open;
}

static lua_CFunction
sandbox_opener(const char *name)
{
	size_t	 i;

	for (i = 0; i < nopeners; i++)
		if (strcmp(openers[i].name, name) == 0)
			return openers[i].open;
	return NULL;
}

static int
sandbox_is_std(const char *name)
{
	size_t	 i;

	for (i = 0; i < NITEMS(std_libs); i++)
		if (strcmp(std_libs[i].name, name) == 0)
			return strcmp(name, LUA_GNAME) != 0;
	return 0;
}

/*
 * Known by name where luaL_argerror looks (the registry's loaded table,
 * which Lua never sees without package): "process.spawn", and one level
 * down, "process.registry.lookup".
 */
static void
sandbox_name_parts(lua_State *L, const char *name)
{
	int	 mod = lua_gettop(L);

	if (!lua_istable(L, mod))
		return;
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_pushnil(L);
	while (lua_next(L, mod)) {
		if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
			lua_pushfstring(L, "%s.%s", name, lua_tostring(L, -2));
			lua_insert(L, -2);
			lua_rawset(L, mod + 1);
		} else
			lua_pop(L, 1);
	}
	lua_settop(L, mod);
}

/*
 * Push the module called name, opened once per state and kept in the
 * loaded table; -1, with nothing pushed, when nothing provides it.
 */
static int
sandbox_module(lua_State *L, const char *name)
{
	lua_CFunction	 open;

	if (sandbox_is_std(name)) {
		luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
		lua_getfield(L, -1, name);
		lua_remove(L, -2);
		return 0;
	}
	if ((open = sandbox_opener(name)) == NULL)
		return -1;
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	if (lua_getfield(L, -1, name) != LUA_TNIL) {
		lua_remove(L, -2);
		return 0;
	}
	lua_pop(L, 2);
	luaL_requiref(L, name, open, 0);
	sandbox_name_parts(L, name);
	return 0;
}

/*
 * load() without a 't' in its mode can load nothing here: report what the
 * chunk is, as stock Lua would, and never look at a binary one further.
 */
static int
sandbox_load_refused(lua_State *L, const char *mode)
{
	const char	*s = NULL;
	size_t		 n = 0;

	if (lua_type(L, 1) == LUA_TSTRING)
		s = lua_tolstring(L, 1, &n);
	else {
		luaL_checktype(L, 1, LUA_TFUNCTION);
		lua_pushvalue(L, 1);
		if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
			lua_pushnil(L);
			lua_insert(L, -2);
			return 2;
		}
		if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
			return luaL_error(L, "reader function must return a "
			    "string");
		if (lua_type(L, -1) == LUA_TSTRING)
			s = lua_tolstring(L, -1, &n);
	}
	lua_pushnil(L);
	if (n > 0 && s[0] == LUA_SIGNATURE[0])
		lua_pushliteral(L, "attempt to load a binary chunk (mode is 't')");
	else
		lua_pushfstring(L, "attempt to load a text chunk (mode is '%s')",
		    mode);
	return 2;
}

/*
 * load() for text only: a mode with 't' becomes "t", so binary chunks
 * are refused always; a mode without it refuses text chunks too.  A
 * library's load() has its global table as upvalue 1: the default env.
 */
static int
sandbox_lua_load(lua_State *L)
{
	const char	*mode = luaL_optstring(L, 3, "bt");
	int		 n = lua_gettop(L) >= 4 ? 4 : 3;

	if (strchr(mode, 't') == NULL)
		return sandbox_load_refused(L, mode);
	lua_settop(L, n);
	lua_pushliteral(L, "t");
	lua_replace(L, 3);
	if (n == 3 && lua_istable(L, lua_upvalueindex(1))) {
		lua_pushvalue(L, lua_upvalueindex(1));
		n = 4;
	}
	lua_getfield(L, LUA_REGISTRYINDEX, LOAD_KEY);
	lua_insert(L, 1);
	lua_call(L, n, LUA_MULTRET);
	return lua_gettop(L);
}

static int	(*importer)(lua_State *, const char *);

/* Who gives require() the value of a library, by its entry id. */
void
sandbox_set_importer(int (*fn)(lua_State *, const char *))
{
	importer = fn;
}

/*
 * require() of one entry: upvalue 1 maps module names to modules,
 * upvalue 2 the entry's import aliases to library ids.
 */
static int
sandbox_lua_require(lua_State *L)
{
	const char	*name = luaL_checkstring(L, 1);

	if (lua_getfield(L, lua_upvalueindex(1), name) != LUA_TNIL)
		return 1;
	if (lua_getfield(L, lua_upvalueindex(2), name) == LUA_TSTRING &&
	    importer != NULL && importer(L, lua_tostring(L, -1)))
		return 1;
	return luaL_error(L, "module '%s' not found", name);
}

/*
 * Push the require() of scope sc; its listed modules also become fields
 * of the table at env (the entry's globals).
 */
static void
sandbox_push_require(lua_State *L, const struct shim_scope *sc, int env)
{
	size_t	 i;

	lua_createtable(L, 0, (int)(NITEMS(always_required) + sc->nmodules));
	for (i = 0; i < NITEMS(always_required); i++)
		if (sandbox_module(L, always_required[i]) == 0)
			lua_setfield(L, -2, always_required[i]);
	for (i = 0; i < sc->nmodules; i++) {
		if (sandbox_module(L, sc->modules[i]) == -1) {
			log_warnx("module %s is not available", sc->modules[i]);
			continue;
		}
		lua_pushvalue(L, -1);
		lua_setfield(L, env, sc->modules[i]);
		lua_setfield(L, -2, sc->modules[i]);
	}
	lua_createtable(L, 0, (int)sc->nimports);
	for (i = 0; i < sc->nimports; i++) {
		lua_pushstring(L, sc->import_id[i]);
		lua_setfield(L, -2, sc->import_alias[i]);
	}
	lua_pushcclosure(L, sandbox_lua_require, 2);
}

static void
sandbox_base(lua_State *L)
{
	size_t	 i;

	for (i = 0; i < sizeof(base_removed) / sizeof(base_removed[0]); i++) {
		lua_pushnil(L);
		lua_setglobal(L, base_removed[i]);
	}
	lua_getglobal(L, "load");
	lua_setfield(L, LUA_REGISTRYINDEX, LOAD_KEY);
	lua_pushcfunction(L, sandbox_lua_load);
	lua_setglobal(L, "load");
	lua_pushcfunction(L, logger_lua_print);
	lua_setglobal(L, "print");
}

/* A fresh os table with only the clock functions of the real one. */
static void
sandbox_os(lua_State *L)
{
	size_t	 i;

	lua_pushcfunction(L, luaopen_os);
	lua_call(L, 0, 1);
	lua_createtable(L, 0, 4);
	for (i = 0; i < sizeof(os_kept) / sizeof(os_kept[0]); i++) {
		lua_getfield(L, -2, os_kept[i]);
		lua_setfield(L, -2, os_kept[i]);
	}
	lua_setglobal(L, "os");
	lua_pop(L, 1);
}

static void
sandbox_std(lua_State *L)
{
	size_t	 i;

	for (i = 0; i < NITEMS(std_libs); i++) {
		luaL_requiref(L, std_libs[i].name, std_libs[i].func, 1);
		lua_pop(L, 1);
	}
}

static void
sandbox_builtins(void)
{
	static const luaL_Reg builtins[] = {
		{ "channel", luaopen_channel },
		{ "errors", luaopen_errors },
		{ "time", luaopen_time },
		{ "json", luaopen_json },
		{ "io", luaopen_io },
		{ "logger", luaopen_logger },
	};
	size_t	 i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (sandbox_opener(builtins[i].name) == NULL)
			sandbox_register(builtins[i].name, builtins[i].func);
}

/*
 * The standard globals, copied before any entry's modules are added: what
 * a library's global table falls back to.
 */
static void
sandbox_keep_base(lua_State *L)
{
	lua_newtable(L);
	lua_pushglobaltable(L);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -5);
	}
	lua_pop(L, 1);
	lua_createtable(L, 0, 1);
	lua_pushvalue(L, -2);
	lua_setfield(L, -2, "__index");
	lua_setfield(L, LUA_REGISTRYINDEX, ENVMETA_KEY);
	lua_pop(L, 1);
}

void
sandbox_open(lua_State *L)
{
	size_t	 i;

	sandbox_builtins();
	sandbox_std(L);
	sandbox_base(L);
	sandbox_os(L);
	sched_patch_coroutine(L);
	errors_patch_string_lib(L);
	for (i = 0; i < NITEMS(always_globals); i++)
		if (sandbox_module(L, always_globals[i]) == 0)
			lua_setglobal(L, always_globals[i]);
	sandbox_keep_base(L);
}

/*
 * The main entry's scope, in the state's globals: its modules: list
 * (a name nothing provides stays missing, so require() of it fails) and
 * its imports.
 */
void
sandbox_enable(lua_State *L, const struct shim_scope *sc)
{
	lua_pushglobaltable(L);
	sandbox_push_require(L, sc, lua_gettop(L));
	lua_setfield(L, -2, "require");
	lua_pop(L, 1);
}

/*
 * Push a global table for a library of scope sc: its own modules,
 * require(), load() and _G; anything else is read from the standard
 * globals, and what it assigns stays its own.
 */
void
sandbox_push_env(lua_State *L, const struct shim_scope *sc)
{
	int	 env;

	lua_newtable(L);
	env = lua_gettop(L);
	sandbox_push_require(L, sc, env);
	lua_setfield(L, env, "require");
	lua_pushvalue(L, env);
	lua_pushcclosure(L, sandbox_lua_load, 1);
	lua_setfield(L, env, "load");
	lua_pushvalue(L, env);
	lua_setfield(L, env, "_G");
	lua_getfield(L, LUA_REGISTRYINDEX, ENVMETA_KEY);
	lua_setmetatable(L, env);
}

/*
 * A fresh state with the standard globals: what the zygote keeps ready,
 * so its actors begin here.
 */
lua_State *
sandbox_new(void)
{
	lua_State	*L;

	if ((L = luaL_newstate()) == NULL)
		fatalx("cannot create a Lua state");
	shim.L = L;
	sandbox_open(L);
	return L;
}

/* Finish L for the main entry's scope, run on loop. */
void
sandbox_finish(lua_State *L, const struct shim_scope *sc,
    struct ev_loop *loop)
{
	sandbox_enable(L, sc);
	sched_init(L, loop);
}

/* A fresh sandboxed state with the main entry's scope, run on loop. */
lua_State *
sandbox_state(const struct shim_scope *sc, struct ev_loop *loop)
{
	lua_State	*L = sandbox_new();

	sandbox_finish(L, sc, loop);
	return L;
}
