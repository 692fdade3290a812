/*
 * raw_stream.c: the lower bound for one-way pipelined throughput of
 * 64-byte messages from one live process to another through a relay
 * process, A -> R -> B, batched as osactor batches them.  Each message
 * is a frame, a 24-byte header (u32 body length first) and its 64-byte
 * body.  A writes its frames in 64 KiB writes; R reads up to 64 KiB at
 * a time, walks the frames in it, copies each whole one to its output
 * with the header rewritten (as the supervisor re-frames a SEND as a
 * DELIVER) and writes what it has after each read; B reads and walks
 * whole frames, then tells A (on a socketpair of their own) that the
 * last one arrived.  Prints messages per second.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HDR	24
#define MSG	64
#define FRAME	(HDR + MSG)
#define CHUNK	(64 << 10)

static char	 in[CHUNK], out[CHUNK];

static void
write_all(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = write(fd, p, n)) <= 0)
			_exit(0);
		p += w;
		n -= (size_t)w;
	}
}

static uint32_t
frame_len(const char *p)
{
	uint32_t	 len;

	memcpy(&len, p, sizeof(len));
	return len;
}

/* Walk the whole frames in in[0, *have); copy them to out if to != -1. */
static long
frames(size_t *have, int to)
{
	size_t	 off = 0, o = 0, n;
	long	 count = 0;

	while (*have - off >= HDR &&
	    *have - off >= (n = HDR + frame_len(in + off))) {
		if (n > sizeof(in))
			errx(1, "bad frame");
		if (to != -1) {
			memcpy(out + o, in + off, n);
			out[o + 4] ^= 1;	/* "SEND" becomes "DELIVER" */
			o += n;
		}
		off += n;
		count++;
	}
	memmove(in, in + off, *have - off);
	*have -= off;
	if (to != -1)
		write_all(to, out, o);
	return count;
}

static void
relay(int from, int to)
{
	size_t	 have = 0;
	ssize_t	 n;

	while ((n = read(from, in + have, sizeof(in) - have)) > 0) {
		have += (size_t)n;
		(void)frames(&have, to);
	}
	_exit(0);
}

static void
sink(int from, int ack, long total)
{
	long	 got = 0;
	size_t	 have = 0;
	ssize_t	 n;

	while (got < total) {
		if ((n = read(from, in + have, sizeof(in) - have)) <= 0)
			_exit(1);
		have += (size_t)n;
		got += frames(&have, -1);
	}
	write_all(ack, "k", 1);
	_exit(0);
}

int
main(int argc, char **argv)
{
	int		 ar[2], rb[2], ba[2];
	long		 i, n = argc > 1 ? atol(argv[1]) : 200000, left;
	pid_t		 r, b;
	size_t		 len;
	char		 c;
	struct timespec	 t0, t1;

	if (n <= 0)
		errx(1, "usage: raw_stream [messages]");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, ar) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, rb) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, ba) == -1)
		err(1, "socketpair");
	if ((r = fork()) == -1)
		err(1, "fork");
	if (r == 0)
		relay(ar[1], rb[0]);
	if ((b = fork()) == -1)
		err(1, "fork");
	if (b == 0)
		sink(rb[1], ba[1], n);
	memset(out, 'x', sizeof(out));
	for (i = 0; i < CHUNK / FRAME; i++) {
		memcpy(out + i * FRAME, &(uint32_t){ MSG }, 4);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (left = n; left > 0; left -= i) {
		i = left < CHUNK / FRAME ? left : CHUNK / FRAME;
		len = (size_t)i * FRAME;
		write_all(ar[0], out, len);
	}
	if (read(ba[0], &c, 1) != 1)
		errx(1, "sink gone");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.0f\n", n / ((t1.tv_sec - t0.tv_sec) +
	    (t1.tv_nsec - t0.tv_nsec) / 1e9));
	/* Each child holds every socket open: end them, then reap them. */
	kill(r, SIGKILL);
	kill(b, SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}
