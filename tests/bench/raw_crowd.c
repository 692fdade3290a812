/*
 * raw_crowd.c: the lower bound for a round trip to a random one of a
 * crowd of idle processes through a relay process, A -> R -> B_i -> R ->
 * A, with 64-byte messages over Unix socketpairs: what osactor's "to a
 * random one of N" figures are measured against.  Waking a cold process
 * is part of both.
 *
 * usage: raw_crowd sizes runs trips, sizes as "10,100,1000"
 * Grows the crowd through the sizes; per size prints a line: the size,
 * then the microseconds per round trip of each of runs batches of trips.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MSG	64

static void
read_msg(int fd, char *buf)
{
	ssize_t	 n, off = 0;

	while (off < MSG) {
		if ((n = read(fd, buf + off, MSG - off)) <= 0)
			_exit(0);
		off += n;
	}
}

static void
write_msg(int fd, const char *buf)
{
	if (write(fd, buf, MSG) != MSG)
		_exit(0);
}

/* B_i: echoes on its one socket, which it moves to fd 3. */
static void
echoer(int fd)
{
	char	 buf[MSG];

	if (dup2(fd, 3) == -1 || close_range(4, ~0U, 0) == -1)
		_exit(1);
	for (;;) {
		read_msg(3, buf);
		write_msg(3, buf);
	}
}

/* Start B_have .. B_want-1; R's ends of their sockets go in fds. */
static void
grow(int *fds, int have, int want)
{
	int	 sv[2], i;
	pid_t	 pid;

	for (i = have; i < want; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
			err(1, "socketpair");
		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid == 0)
			echoer(sv[1]);
		close(sv[1]);
		fds[i] = sv[0];
	}
}

/* R: the first 4 bytes of each message from A say which B it is for. */
static void
relay(int a, const int *fds, int n)
{
	char		 buf[MSG];
	uint32_t	 i;

	for (;;) {
		read_msg(a, buf);
		memcpy(&i, buf, sizeof(i));
		if (i >= (uint32_t)n)
			_exit(1);
		write_msg(fds[i], buf);
		read_msg(fds[i], buf);
		write_msg(a, buf);
	}
}

static double
batch(int r, int n, int trips)
{
	char		 buf[MSG] = { 0 };
	struct timespec	 t0, t1;
	uint32_t	 i;
	int		 k;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (k = 0; k < trips; k++) {
		i = (uint32_t)(random() % n);
		memcpy(buf, &i, sizeof(i));
		if (write(r, buf, MSG) != MSG)
			err(1, "write");
		read_msg(r, buf);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) /
	    trips / 1000.0;
}

/*
 * The crowd is the relay's children, grown anew for each size by a relay
 * of that size (a relay cannot learn new sockets of a grown crowd).
 */
static void
size_line(int n, int runs, int trips)
{
	int	 ar[2], *fds, k;
	pid_t	 r;

	if ((fds = calloc((size_t)n, sizeof(*fds))) == NULL)
		err(1, "calloc");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, ar) == -1)
		err(1, "socketpair");
	if ((r = fork()) == -1)
		err(1, "fork");
	if (r == 0) {
		close(ar[0]);
		signal(SIGCHLD, SIG_IGN);	/* the kernel reaps the crowd */
		grow(fds, 0, n);
		write_msg(ar[1], (char[MSG]){ 0 });	/* all up */
		relay(ar[1], fds, n);
	}
	close(ar[1]);
	read_msg(ar[0], (char[MSG]){ 0 });
	printf("%d", n);
	for (k = 0; k < runs; k++)
		printf(" %.2f", batch(ar[0], n, trips));
	printf("\n");
	fflush(stdout);
	close(ar[0]);	/* R exits; each B then reads EOF and exits */
	if (waitpid(r, NULL, 0) == -1)
		err(1, "waitpid");
	free(fds);
}

int
main(int argc, char **argv)
{
	char	*sizes = argc > 1 ? argv[1] : "10,100,1000";
	int	 runs = argc > 2 ? atoi(argv[2]) : 5;
	int	 trips = argc > 3 ? atoi(argv[3]) : 2000;
	char	*s;

	srandom(1);
	for (s = strtok(sizes, ","); s != NULL; s = strtok(NULL, ","))
		size_line(atoi(s), runs, trips);
	return 0;
}
