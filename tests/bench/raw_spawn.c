/*
 * raw_spawn.c: the lower bound for starting and ending a process: fork,
 * the child exits at once, waitpid.  Prints the milliseconds per cycle.
 */
#include <sys/wait.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int		 i, n = argc > 1 ? atoi(argv[1]) : 500;
	pid_t		 pid;
	struct timespec	 t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, NULL, 0) == -1)
			err(1, "waitpid");
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.3f\n", ((t1.tv_sec - t0.tv_sec) * 1e9 +
	    (t1.tv_nsec - t0.tv_nsec)) / n / 1e6);
	return 0;
}
