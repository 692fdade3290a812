/*
 * main.c: osactor-shim's entry point, shaped like lua.c's.  Started by
 * the supervisor with no arguments, it runs the one actor the START
 * frame on fd 3 names; `--test FILE` runs a Lua file without a
 * supervisor, for the scheduler's own tests.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"
#include "testmode.h"

int
main(int argc, char *argv[])
{
	setproctitle_init(argc, argv, environ);
	if (argc == 3 && strcmp(argv[1], "--test") == 0)
		return testmode_run(argv[2]);
	if (argc == 1)
		return actor_main();
	/* Returns in each actor cloned from it, never in the zygote. */
	if (argc == 3 && strcmp(argv[1], "--zygote") == 0) {
		zygote_main(argv[2]);
		return actor_main();
	}
	fprintf(stderr, "usage: osactor-shim (started by osactor(1))\n"
	    "       osactor-shim --test FILE.lua\n");
	return 64;
}
