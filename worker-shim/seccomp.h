/*
 * seccomp.h: the system calls an actor may still make once its Lua code
 * runs (worker-shim/seccomp.c); tests/bin/evilshim.c installs it too.
 */
#ifndef OSACTOR_SECCOMP_H
#define OSACTOR_SECCOMP_H

/* seccomp.c */
int	 seccomp_sandbox(void);

#endif /* OSACTOR_SECCOMP_H */
