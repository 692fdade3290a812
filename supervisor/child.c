/*
 * child.c: a new actor process, before any shim code: its own session
 * (the terminal's ^C reaches the supervisor only), death with the
 * supervisor, the socket on fd 3, /dev/null for stdin and stderr for
 * stdout unless its host is the terminal, nothing else open, the host's
 * limits, default signals.  Shared by the supervisor's exec path and the
 * zygote, so both kinds of actor start the same.
 */
#include <sys/prctl.h>
#include <sys/resource.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

#include "child.h"

static const int child_resources[CHILD_NLIMITS] = {
	RLIMIT_AS, RLIMIT_CPU, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_CORE,
};

/*
 * The host's limits (API.md section 7); no core files unless asked.
 * cpu_time is the soft limit, so an actor past it gets SIGXCPU (which
 * reap.c reports as such) a second before the hard limit's SIGKILL.
 */
static int
child_limits(const int64_t *v)
{
	struct rlimit	 rl;
	int64_t		 value, slack;
	int		 i;

	for (i = 0; i < CHILD_NLIMITS; i++) {
		if ((value = v[i]) == CHILD_LIMIT_KEEP)
			continue;
		if (value < 0 && child_resources[i] == RLIMIT_CORE)
			value = 0;
		if (value < 0)
			continue;
		slack = child_resources[i] == RLIMIT_CPU ? 1 : 0;
		rl.rlim_cur = (rlim_t)value;
		rl.rlim_max = value > INT64_MAX - slack ? RLIM_INFINITY :
		    (rlim_t)(value + slack);
		if (setrlimit(child_resources[i], &rl) == -1)
			return -1;
	}
	return 0;
}

/* fd to want, by way of a number above 10 so no placement clobbers it. */
static int
child_place(int *fd, int want, int cloexec)
{
	int	 high;

	if ((high = fcntl(*fd, F_DUPFD_CLOEXEC, 10)) == -1)
		return -1;
	*fd = high;
	if (dup3(high, want, cloexec ? O_CLOEXEC : 0) == -1)
		return -1;
	*fd = want;
	return 0;
}

static int
child_fds(struct child_spec *cs)
{
	int	 null;

	if (cs->null != -1) {	/* a spare's, placed by child_spare_fds */
		if (!cs->terminal && (dup3(cs->null, STDIN_FILENO, 0) == -1 ||
		    dup3(STDERR_FILENO, STDOUT_FILENO, 0) == -1))
			return -1;
		return close(cs->null);
	}

	if (cs->keep != -1 && child_place(&cs->keep, CHILD_KEEP_FD, 1) == -1)
		return -1;
	if (child_place(&cs->sock, CHILD_SOCK_FD, 0) == -1)
		return -1;
	if (!cs->terminal) {
		if ((null = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1 ||
		    dup3(null, STDIN_FILENO, 0) == -1 ||
		    dup3(STDERR_FILENO, STDOUT_FILENO, 0) == -1)
			return -1;
	}
	return close_range(CHILD_KEEP_FD + (cs->keep != -1), ~0U, 0);
}

/*
 * A spare's descriptors, ahead of its actor: sock on fd 3, nothing else
 * of the zygote's, and /dev/null open for stdin, so that once the actor
 * is known nothing is opened (its seccomp filter may be on by then).
 * 0, or -1 with errno.
 */
int
child_spare_fds(struct child_spec *cs, int sock)
{
	if (sock != CHILD_SOCK_FD && dup3(sock, CHILD_SOCK_FD, 0) == -1)
		return -1;
	cs->sock = CHILD_SOCK_FD;
	if (close_range(CHILD_SOCK_FD + 1, ~0U, 0) == -1)
		return -1;
	cs->null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return cs->null == -1 ? -1 : 0;
}

/*
 * Its own session, death with the supervisor: all that needs no spec
 * but cs->parent, so a zygote's spare clone does it before its actor is
 * known.  0, or -1 with errno.
 */
int
child_session(const struct child_spec *cs)
{
	if (setsid() == -1)
		return -1;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		return -1;
	if (getppid() != cs->parent) {
		errno = ESRCH;		/* the supervisor is already gone */
		return -1;
	}
	return 0;
}

/* The rest, once the actor is known: 0, or -1 with errno. */
int
child_finish(struct child_spec *cs)
{
	sigset_t	 none;
	int		 i;

	if (child_fds(cs) == -1 || child_limits(cs->limits) == -1)
		return -1;
	/*
	 * The zygote's clones have its handlers and its mask, known: all
	 * default but SIGPIPE, ignored, as the shim wants it, and nothing
	 * blocked (it was set up here).  That spares each clone 66 calls.
	 */
	if (cs->clean)
		return 0;
	for (i = 1; i < NSIG; i++)
		(void)signal(i, SIG_DFL);
	sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Both; 0, or -1 with errno, and the caller leaves with _exit. */
int
child_setup(struct child_spec *cs)
{
	return child_session(cs) == -1 ? -1 : child_finish(cs);
}
