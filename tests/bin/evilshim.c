/*
 * evilshim.c: a stand-in for osactor-shim that breaks the protocol, for
 * the fault tests.  It peeks at the START frame on fd 3 without taking
 * it; an entry named "t:evil_<how>" gets a bad frame of that kind, any
 * other entry is handed to the real shim ($OSACTOR_REAL_SHIM) untouched.
 * "kill9" and "segv" die by that signal, as a crash or kill(1) would.
 * "seccomp" installs the real shim's sandbox filter when START asks for
 * it, as the shim does before an actor's code, then makes a socket.
 */
#include <sys/socket.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "proto.h"
#include "seccomp.h"

#define LINK_FD	3

/* All of it, though the socket is non-blocking and the frame large. */
static void
put_all(const void *p, size_t n)
{
	struct pollfd	 pfd = { LINK_FD, POLLOUT, 0 };
	const uint8_t	*b = p;
	ssize_t		 w;

	while (n > 0) {
		if ((w = write(LINK_FD, b, n)) > 0) {
			b += w;
			n -= (size_t)w;
		} else if (w == -1 && errno == EAGAIN) {
			if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
				err(1, "poll");
		} else if (w == -1 && errno != EINTR)
			err(1, "write");
	}
}

/* A header with every field chosen by the caller. */
static void
raw_hdr(uint32_t len, uint16_t type, uint8_t version, uint32_t src)
{
	struct frame_hdr h = { len, type, version, 0, src, 0, 0, 0 };
	uint8_t		 p[FRAME_HDR_LEN];

	frame_hdr_encode(p, &h);
	put_all(p, sizeof(p));
}

/* A frame of type with a body of FRAME_MAX_BODY bytes: a short topic or
 * status, then zeros. */
static void
full_body(uint16_t type, uint32_t src, uint32_t dst)
{
	struct frame_hdr h = { FRAME_MAX_BODY, type, PROTO_VERSION, 0, src,
	    dst, 0, 0 };
	uint8_t		*p;

	if ((p = calloc(1, FRAME_HDR_LEN + FRAME_MAX_BODY)) == NULL)
		err(1, "calloc");
	frame_hdr_encode(p, &h);
	p[FRAME_HDR_LEN] = 1;		/* topic "\0" or status 1 */
	put_all(p, FRAME_HDR_LEN + FRAME_MAX_BODY);
	free(p);
}

/* A call the sandbox forbids; with none, exit 0 without a result. */
static void __attribute__((noreturn))
forbidden(uint8_t flags)
{
	if ((flags & START_F_SANDBOX) && seccomp_sandbox() == -1)
		err(1, "seccomp");
	if (socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) == -1)
		err(1, "socket");
	_exit(0);
}

static void
misbehave(const char *how, uint32_t id, uint8_t flags)
{
	if (strcmp(how, "version") == 0)
		raw_hdr(0, FRAME_READY, PROTO_VERSION + 1, id);
	else if (strcmp(how, "huge") == 0)
		raw_hdr(0xffffffff, FRAME_SEND, PROTO_VERSION, id);
	else if (strcmp(how, "type") == 0)
		raw_hdr(0, 999, PROTO_VERSION, id);
	else if (strcmp(how, "spoof") == 0)
		raw_hdr(0, FRAME_READY, PROTO_VERSION, id + 1000);
	else if (strcmp(how, "body") == 0) {
		/* A LOOKUP whose string claims more bytes than the body has. */
		raw_hdr(4, FRAME_LOOKUP, PROTO_VERSION, id);
		put_all("\xff\x00\x00\x00", 4);
	} else if (strcmp(how, "fullsend") == 0) {
		/* To itself, at the body limit: no room for the sender's pid. */
		raw_hdr(0, FRAME_READY, PROTO_VERSION, id);
		full_body(FRAME_SEND, id, id);
	} else if (strcmp(how, "fullexit") == 0) {
		/* A result at the body limit: no room for the EXIT's fields. */
		full_body(FRAME_EXITING, id, 0);
	} else if (strcmp(how, "seccomp") == 0) {
		forbidden(flags);
	} else if (strcmp(how, "kill9") == 0) {
		raise(SIGKILL);
	} else if (strcmp(how, "segv") == 0) {
		/* A sanitizer's handler would turn the crash into an exit. */
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	} else if (strcmp(how, "short") == 0) {
		put_all("\x01\x02\x03", 3);
		_exit(0);
	} else
		errx(1, "unknown misbehaviour %s", how);
	/* Wait to be killed for it. */
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	struct pollfd	 p = { LINK_FD, POLLIN, 0 };
	struct frame_hdr h;
	struct rbuf	 r;
	uint8_t		*buf;
	const char	*real, *entry;
	size_t		 n, elen;
	uint32_t	 id;
	uint8_t		 flags;
	int		 i;

	if ((real = getenv("OSACTOR_REAL_SHIM")) == NULL)
		errx(1, "OSACTOR_REAL_SHIM is not set");
	if (poll(&p, 1, 5000) != 1)
		errx(1, "no START frame");
	buf = malloc(FRAME_HDR_LEN + 65536);
	n = (size_t)recv(LINK_FD, buf, FRAME_HDR_LEN + 65536, MSG_PEEK);
	if (frame_hdr_decode(buf, n, &h, 65536) != 1 || n < FRAME_HDR_LEN + h.len)
		errx(1, "START frame not whole");
	rbuf_init(&r, buf + FRAME_HDR_LEN, h.len);
	id = rbuf_u32(&r);
	(void)rbuf_str(&r, &n);			/* pid */
	entry = rbuf_str(&r, &elen);
	for (i = 0; i < 5; i++)		/* host, source, code, chunk, method */
		(void)rbuf_str(&r, &n);
	(void)rbuf_u8(&r);		/* log level */
	flags = rbuf_u8(&r);
	if (r.err)
		errx(1, "START frame malformed");
	if (entry != NULL && elen > 7 && strncmp(entry, "t:evil_", 7) == 0) {
		(void)recv(LINK_FD, buf, FRAME_HDR_LEN + h.len, 0);
		misbehave(strndup(entry + 7, elen - 7), id, flags);
	}
	execv(real, argv);
	err(1, "exec %s", real);
}
