/*
 * raw_relay.c: the lower bound for a round trip between two live
 * processes through a relay process, A -> R -> B -> R -> A, with 64-byte
 * messages over Unix socketpairs: what osactor's routing is measured
 * against.  Prints the microseconds per round trip.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MSG	64

static void
xfer(int from, int to, char *buf)
{
	ssize_t	 n, off = 0;

	while (off < MSG) {
		if ((n = read(from, buf + off, MSG - off)) <= 0)
			_exit(0);
		off += n;
	}
	if (write(to, buf, MSG) != MSG)
		_exit(0);
}

static void
xfer_in(int from, char *buf)
{
	ssize_t	 n, off = 0;

	while (off < MSG) {
		if ((n = read(from, buf + off, MSG - off)) <= 0)
			errx(1, "relay gone");
		off += n;
	}
}

int
main(int argc, char **argv)
{
	int		 ar[2], rb[2], i, n = argc > 1 ? atoi(argv[1]) : 20000;
	pid_t		 r, b;
	char		 buf[MSG] = { 0 };
	struct timespec	 t0, t1;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, ar) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, rb) == -1)
		err(1, "socketpair");
	if ((r = fork()) == 0) {	/* R: relays both ways */
		for (;;) {
			xfer(ar[1], rb[0], buf);
			xfer(rb[0], ar[1], buf);
		}
	}
	if ((b = fork()) == 0) {	/* B: echoes */
		for (;;)
			xfer(rb[1], rb[1], buf);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		if (write(ar[0], buf, MSG) != MSG)
			err(1, "write");
		xfer_in(ar[0], buf);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.2f\n", ((t1.tv_sec - t0.tv_sec) * 1e9 +
	    (t1.tv_nsec - t0.tv_nsec)) / n / 1000.0);
	/* Each child holds every socket open: end them, then reap them. */
	kill(r, SIGKILL);
	kill(b, SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}
