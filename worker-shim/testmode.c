/*
 * testmode.c: run one Lua file as an actor without a supervisor: a fresh
 * sandboxed state with every module but process, io on the terminal, and
 * the file's chunk itself as the main task.  Exit status 0 when the
 * chunk returns, 1 (with the message and traceback on stderr) when any
 * task fails, so each test file checks itself with assert.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lua.h>

#include "ev.h"
#include "log.h"
#include "sandbox.h"
#include "sched.h"
#include "shim.h"
#include "testmode.h"
#include "typestrip.h"
#include "xmalloc.h"

static const char *testmode_modules[] = {
	"time", "io", "logger", "errors", "channel", "json",
};

static void
testmode_idle(void *arg)
{
	io_flush_all();
}

/* Protected: returns true, or false, message, traceback. */
static int
testmode_pmain(lua_State *L)
{
	const char	*path = lua_tostring(L, 1);
	int		 nres;

	if (typestrip_loadfile(L, path) != LUA_OK) {
		lua_pushboolean(L, 0);
		lua_insert(L, -2);
		lua_pushliteral(L, "");
		return 3;
	}
	sched_main(L, 0);
	if (sched_run(L, &nres) == -1) {
		lua_pushboolean(L, 0);
		lua_insert(L, -3);
		return 3;
	}
	lua_pushboolean(L, 1);
	return 1;
}

static lua_State *
testmode_state(void)
{
	struct shim_scope sc = { testmode_modules,
	    sizeof(testmode_modules) / sizeof(testmode_modules[0]), NULL, NULL,
	    0 };
	lua_State	*L;

	L = sandbox_state(&sc, &shim.loop);
	sched_set_idle(testmode_idle, NULL);
	return L;
}

int
testmode_run(const char *path)
{
	lua_State	*L;
	int		 rv = 1;

	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		fatal("signal");
	shim.terminal = 1;
	shim.log_level = LOG_INFO;
	shim.entry = xstrdup(path);
	shim.pid = xstrdup("{test|0x00000}");
	log_init(LOG_INFO, "osactor-shim");
	if (ev_init(&shim.loop) == -1)
		fatal("epoll_create1");
	L = testmode_state();
	lua_pushcfunction(L, testmode_pmain);
	lua_pushstring(L, path);
	if (lua_pcall(L, 1, 3, 0) != LUA_OK)
		fprintf(stderr, "%s\n", lua_tostring(L, -1));
	else if (lua_toboolean(L, -3))
		rv = 0;
	else {
		io_flush_all();
		fprintf(stderr, "%s\n", lua_tostring(L, -2));
		if (*lua_tostring(L, -1) != '\0')
			fprintf(stderr, "%s\n", lua_tostring(L, -1));
	}
	io_flush_all();
	lua_close(L);
	ev_close(&shim.loop);
	free(shim.entry);
	free(shim.pid);
	shim.entry = shim.pid = NULL;
	return rv;
}
