/*
 * sandbox.c: the globals of an actor's Lua state (API.md section 1).
 * Stock Lua's io, debug, package, most of os and binary chunks are out
 * of reach; runtime modules become globals only when the entry lists
 * them, and `require` hands out nothing else.  An actor is untrusted:
 * whatever it can reach here is what it can do to the host.
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
#define MODULES_KEY	"osactor.modules"	/* name -> what require gives */

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

/* Make name a global and what require(name) returns; -1 if unknown. */
static int
sandbox_load(lua_State *L, const char *name)
{
	lua_CFunction	 open;

	if ((open = sandbox_opener(name)) == NULL)
		return -1;
	lua_getfield(L, LUA_REGISTRYINDEX, MODULES_KEY);
	if (lua_getfield(L, -1, name) != LUA_TNIL) {
		lua_pop(L, 2);
		return 0;
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, open);
	lua_pushstring(L, name);
	lua_call(L, 1, 1);
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, name);
	lua_setglobal(L, name);
	lua_pop(L, 1);
	return 0;
}

/* load() for text only: the mode argument is always "t". */
static int
sandbox_lua_load(lua_State *L)
{
	int	 n = lua_gettop(L) >= 4 ? 4 : 3;

	lua_settop(L, n);
	lua_pushliteral(L, "t");
	lua_replace(L, 3);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, n, LUA_MULTRET);
	return lua_gettop(L);
}

static int	(*importer)(lua_State *, const char *);

/* Who answers require() of a name no module has (the entry's imports). */
void
sandbox_set_importer(int (*fn)(lua_State *, const char *))
{
	importer = fn;
}

static int
sandbox_lua_require(lua_State *L)
{
	const char	*name = luaL_checkstring(L, 1);

	lua_getfield(L, LUA_REGISTRYINDEX, MODULES_KEY);
	if (lua_getfield(L, -1, name) != LUA_TNIL)
		return 1;
	lua_pop(L, 2);
	if (importer != NULL && importer(L, name))
		return 1;
	return luaL_error(L, "module '%s' not found", name);
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
	lua_pushcclosure(L, sandbox_lua_load, 1);
	lua_setglobal(L, "load");
	lua_pushcfunction(L, logger_lua_print);
	lua_setglobal(L, "print");
	lua_pushcfunction(L, sandbox_lua_require);
	lua_setglobal(L, "require");
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

	lua_newtable(L);
	for (i = 0; i < sizeof(std_libs) / sizeof(std_libs[0]); i++) {
		luaL_requiref(L, std_libs[i].name, std_libs[i].func, 1);
		if (strcmp(std_libs[i].name, LUA_GNAME) != 0)
			lua_setfield(L, -2, std_libs[i].name);
		else
			lua_pop(L, 1);
	}
	lua_setfield(L, LUA_REGISTRYINDEX, MODULES_KEY);
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

void
sandbox_open(lua_State *L)
{
	sandbox_builtins();
	sandbox_std(L);
	sandbox_base(L);
	sandbox_os(L);
	sched_patch_coroutine(L);
	errors_patch_string_lib(L);
	sandbox_load(L, "errors");
	sandbox_load(L, "channel");
}

/*
 * The entry's modules: list.  process is always there when registered;
 * a name nothing provides stays missing, so require() of it fails.
 */
void
sandbox_enable(lua_State *L, const char *const *names, size_t n)
{
	size_t	 i;

	sandbox_load(L, "process");
	for (i = 0; i < n; i++) {
		lua_getfield(L, LUA_REGISTRYINDEX, MODULES_KEY);
		if (lua_getfield(L, -1, names[i]) == LUA_TNIL &&
		    sandbox_load(L, names[i]) == -1)
			log_warnx("module %s is not available", names[i]);
		lua_pop(L, 2);
	}
}

/* A fresh sandboxed state with the listed modules, scheduled on loop. */
lua_State *
sandbox_state(const char *const *modules, size_t n, struct ev_loop *loop)
{
	lua_State	*L;

	if ((L = luaL_newstate()) == NULL)
		fatalx("cannot create a Lua state");
	shim.L = L;
	sandbox_open(L);
	sandbox_enable(L, modules, n);
	sched_init(L, loop);
	return L;
}
