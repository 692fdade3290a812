/*
 * testmode.h: osactor-shim --test FILE.lua runs one Lua file as an
 * actor's main task, with no supervisor, for the scheduler's tests.
 */
#ifndef OSACTOR_TESTMODE_H
#define OSACTOR_TESTMODE_H

int	 testmode_run(const char *);

#endif /* OSACTOR_TESTMODE_H */
