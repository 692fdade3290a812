/*
 * ctlpoke.c: a control-socket client that breaks the protocol, for the
 * fault tests (tests/e2e/control_fault.sh).  It connects to the socket
 * at PATH, misbehaves as asked, and reports whether the supervisor hung
 * up on it, which is the only right answer to each of these:
 *
 *   garbage PATH [SEED]	64 KiB of pseudo-random bytes
 *   huge PATH		a header that claims a 4 GiB body
 *   type PATH		a frame of a type no one knows
 *   fds PATH [N]	a valid ps request that carries N descriptors
 *			(default 1, at most 16)
 *   slowloris PATH	a valid ps request, one byte every 200 ms
 *   hold PATH N SECS	N connections that send nothing, held SECS
 *			seconds; prints "refused K": how many were
 *			turned away at once
 *
 * Exit 0 when the other side closed each connection in time (without a
 * reply, except for hold), 1 when it did not, 2 on a usage error.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"
#include "proto.h"

#define CLOSE_WAIT_MS	10000

static const char	*path;

static int
poke_connect(void)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	int			 fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		errx(2, "%s: path too long", path);
	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		err(1, "connect %s", path);
	return fd;
}

static long
now_ms(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(1, "clock_gettime");
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * Wait up to ms for the peer to close: 1 when it did, 0 when it did not.
 * *got counts the bytes it sent first.
 */
static int
poke_closed(int fd, int ms, size_t *got)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	char		 buf[4096];
	long		 end = now_ms() + ms, left;
	ssize_t		 n;
	int		 rv;

	for (;;) {
		left = end - now_ms();
		rv = poll(&pfd, 1, left > 0 ? (int)left : 0);
		if (rv == -1 && errno == EINTR)
			continue;
		if (rv == -1)
			err(1, "poll");
		if (rv == 0)
			return 0;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0 || (n == -1 && errno == ECONNRESET))
			return 1;
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			err(1, "recv");
		if (n > 0)
			*got += (size_t)n;
	}
}

/* Send it all, or stop quietly once the peer is gone. */
static void
poke_write(int fd, const void *p, size_t n)
{
	if (send(fd, p, n, MSG_NOSIGNAL) == -1 && errno != EPIPE &&
	    errno != ECONNRESET)
		err(1, "send");
}

static size_t
ps_request(uint8_t *buf, size_t size)
{
	struct wbuf	 b = { 0 };
	size_t		 start, n;

	start = frame_begin(&b, FRAME_CTL_PS, 0, 0, 1);
	wbuf_put_u8(&b, 0);
	if (frame_finish(&b, start) == -1 || b.len > size)
		errx(1, "ps request");
	memcpy(buf, b.data, b.len);
	n = b.len;
	wbuf_free(&b);
	return n;
}

static void
raw_hdr(int fd, uint32_t len, uint16_t type)
{
	struct frame_hdr h = { len, type, PROTO_VERSION, 0, 0, 0, 1, 0 };
	uint8_t		 p[FRAME_HDR_LEN];

	frame_hdr_encode(p, &h);
	poke_write(fd, p, sizeof(p));
}

#define POKE_MAX_FDS	16

/* A ps request carrying n copies of fd 0 (SCM_RIGHTS). */
static void
send_fds(int fd, int n)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(POKE_MAX_FDS * sizeof(int))];
	} cmsg;
	uint8_t		 req[64];
	struct iovec	 iov = { req, ps_request(req, sizeof(req)) };
	struct msghdr	 m = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = cmsg.buf };
	struct cmsghdr	*cm;
	int		 passed[POKE_MAX_FDS] = { 0 };

	if (n < 1 || n > POKE_MAX_FDS)
		errx(2, "fds: 1 to %d descriptors", POKE_MAX_FDS);
	m.msg_controllen = CMSG_SPACE((size_t)n * sizeof(int));
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
	memcpy(CMSG_DATA(cm), passed, (size_t)n * sizeof(int));
	if (sendmsg(fd, &m, MSG_NOSIGNAL) == -1)
		err(1, "sendmsg");
}

static void
garbage(int fd, uint32_t seed)
{
	static uint8_t	 buf[64 << 10];
	uint32_t	 x = seed != 0 ? seed : 2463534242U;
	size_t		 i;

	for (i = 0; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	poke_write(fd, buf, sizeof(buf));
}

/* One byte every 200 ms; 0 when it was hung up on before the end. */
static int
slowloris(int fd)
{
	uint8_t		 req[64];
	size_t		 n = ps_request(req, sizeof(req)), i, got = 0;
	long		 start = now_ms();

	for (i = 0; i < n; i++) {
		poke_write(fd, req + i, 1);
		if (poke_closed(fd, 200, &got)) {
			printf("closed after %zu of %zu bytes, %ld ms\n", i + 1,
			    n, now_ms() - start);
			return got == 0 ? 0 : 1;
		}
	}
	printf("sent all %zu bytes and was not hung up on\n", n);
	return 1;
}

static int
hold(int n, int secs)
{
	int	*fds = calloc((size_t)n, sizeof(int));
	int	 i, refused = 0;
	size_t	 got;

	if (fds == NULL)
		err(1, "calloc");
	for (i = 0; i < n; i++)
		fds[i] = poke_connect();
	for (i = 0; i < n; i++) {
		got = 0;
		refused += poke_closed(fds[i], i == 0 ? 300 : 0, &got);
	}
	printf("refused %d\n", refused);
	fflush(stdout);
	sleep((unsigned)secs);
	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t	 got = 0;
	int	 fd;

	if (argc < 3)
		errx(2, "usage: ctlpoke garbage|huge|type|fds|slowloris PATH | "
		    "hold PATH N SECS");
	signal(SIGPIPE, SIG_IGN);
	path = argv[2];
	if (strcmp(argv[1], "hold") == 0) {
		if (argc != 5)
			errx(2, "hold PATH N SECS");
		return hold(atoi(argv[3]), atoi(argv[4]));
	}
	fd = poke_connect();
	if (strcmp(argv[1], "slowloris") == 0)
		return slowloris(fd);
	if (strcmp(argv[1], "garbage") == 0)
		garbage(fd, argc > 3 ?
		    (uint32_t)strtoul(argv[3], NULL, 10) : 0);
	else if (strcmp(argv[1], "huge") == 0)
		raw_hdr(fd, 0xffffffffU, FRAME_CTL_PS);
	else if (strcmp(argv[1], "type") == 0)
		raw_hdr(fd, 0, 999);
	else if (strcmp(argv[1], "fds") == 0)
		send_fds(fd, argc > 3 ? atoi(argv[3]) : 1);
	else
		errx(2, "unknown mode %s", argv[1]);
	if (!poke_closed(fd, CLOSE_WAIT_MS, &got)) {
		printf("%s: still open after %d ms\n", argv[1], CLOSE_WAIT_MS);
		return 1;
	}
	if (got != 0) {
		printf("%s: got %zu bytes of reply before the close\n", argv[1],
		    got);
		return 1;
	}
	printf("%s: closed\n", argv[1]);
	return 0;
}
