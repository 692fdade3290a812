/*
 * child.h: the set-up every actor process gets before the shim's own
 * code runs, whether the supervisor forked and exec'd it or the zygote
 * cloned it (supervisor/child.c, built into both programs).
 */
#ifndef OSACTOR_CHILD_H
#define OSACTOR_CHILD_H

#include <sys/types.h>

#include <stdint.h>

#define CHILD_SOCK_FD	3	/* the actor's link to the supervisor */
#define CHILD_KEEP_FD	4	/* an extra descriptor kept close-on-exec */
#define CHILD_NLIMITS	5	/* RLIMIT_AS, CPU, NOFILE, NPROC, CORE */
#define CHILD_LIMIT_KEEP INT64_MIN	/* leave that limit as it is */

struct child_spec {
	int	 sock;		/* moved to CHILD_SOCK_FD */
	int	 keep;		/* moved to CHILD_KEEP_FD, or -1; where it is */
	pid_t	 parent;	/* the supervisor: we die with it */
	int	 terminal;	/* keep stdin/stdout; else /dev/null, stderr */
	int64_t	 limits[CHILD_NLIMITS];	/* -1: unset (core: then 0), or
					 * CHILD_LIMIT_KEEP */
	int	 clean;		/* a zygote clone: signals as the shim wants */
	int	 null;		/* /dev/null a spare opened ahead, or -1 */
};

int	 child_setup(struct child_spec *);
int	 child_session(const struct child_spec *);
int	 child_spare_fds(struct child_spec *, int);
int	 child_finish(struct child_spec *);

#endif /* OSACTOR_CHILD_H */
