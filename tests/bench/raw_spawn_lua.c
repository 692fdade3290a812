/*
 * raw_spawn_lua.c: the lower bound for starting and ending a process
 * that holds a Lua state, as an actor is: the parent has the standard
 * libraries loaded and one function compiled; a fork's child calls it
 * (so it touches the state as an actor does), with "sandbox" installs
 * the actors' own seccomp filter first (worker-shim/seccomp.c), and
 * exits; waitpid.  No relay, no socket.  Prints milliseconds per cycle.
 *
 * usage: raw_spawn_lua [cycles [sandbox]]
 */
#include <sys/wait.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "seccomp.h"

static const char actor_lua[] =
    "return { main = function(...) return select('#', ...) end }";

static void __attribute__((noreturn))
child(lua_State *L, int sandbox)
{
	if (sandbox && seccomp_sandbox() == -1)
		_exit(2);
	lua_pushvalue(L, 1);
	if (lua_pcall(L, 0, 1, 0) != LUA_OK)
		_exit(3);
	lua_getfield(L, -1, "main");
	lua_pushinteger(L, 1);
	_exit(lua_pcall(L, 1, 1, 0) == LUA_OK ? 0 : 4);
}

int
main(int argc, char **argv)
{
	int		 i, n = argc > 1 ? atoi(argv[1]) : 500, status;
	int		 sandbox = argc > 2 && strcmp(argv[2], "sandbox") == 0;
	pid_t		 pid;
	lua_State	*L;
	struct timespec	 t0, t1;

	if ((L = luaL_newstate()) == NULL)
		errx(1, "luaL_newstate");
	luaL_openlibs(L);
	if (luaL_loadstring(L, actor_lua) != LUA_OK)
		errx(1, "%s", lua_tostring(L, -1));
	lua_gc(L, LUA_GCCOLLECT);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid == 0)
			child(L, sandbox);
		if (waitpid(pid, &status, 0) == -1)
			err(1, "waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			errx(1, "child failed (status %#x)", status);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.3f\n", ((t1.tv_sec - t0.tv_sec) * 1e9 +
	    (t1.tv_nsec - t0.tv_nsec)) / n / 1e6);
	lua_close(L);
	return 0;
}
