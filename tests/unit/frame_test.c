/*
 * frame_test.c: the frame codec against whole, short, oversized, wrong
 * version and garbage input.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "proto.h"
#include "unit.h"

static void
test_roundtrip(void)
{
	struct wbuf	 b = { 0 };
	struct frame_hdr h;
	struct rbuf	 r;
	size_t		 start, n;
	const char	*s;

	start = frame_begin(&b, FRAME_SEND, 7, 9, 42);
	wbuf_put_cstr(&b, "topic");
	wbuf_put_u64(&b, 0x0102030405060708ULL);
	wbuf_put_str(&b, "a\0b", 3);
	CHECK(frame_finish(&b, start) == 0);
	CHECK(b.len == FRAME_HDR_LEN + 4 + 5 + 8 + 4 + 3);
	CHECK(frame_next(&b, &h, &r, FRAME_MAX_BODY) == 1);
	CHECK(h.type == FRAME_SEND && h.src == 7 && h.dst == 9 && h.ref == 42);
	CHECK(h.version == PROTO_VERSION && h.len == 24);
	s = rbuf_str(&r, &n);
	CHECK(s != NULL && n == 5 && memcmp(s, "topic", 5) == 0);
	CHECK(rbuf_u64(&r) == 0x0102030405060708ULL);
	s = rbuf_str(&r, &n);
	CHECK(s != NULL && n == 3 && memcmp(s, "a\0b", 3) == 0);
	CHECK(rbuf_end(&r) == 0);
	CHECK(wbuf_pending(&b) == 0);
	CHECK(frame_next(&b, &h, &r, FRAME_MAX_BODY) == 0);
	wbuf_free(&b);
}

/* Little-endian on the wire, whatever the host. */
static void
test_layout(void)
{
	struct frame_hdr h = { 0x11223344, 0x5566, PROTO_VERSION, 0,
	    0x01020304, 0x0a0b0c0d, 0xdeadbeef, 0 };
	uint8_t		 p[FRAME_HDR_LEN];
	const uint8_t	 want[FRAME_HDR_LEN] = {
	    0x44, 0x33, 0x22, 0x11, 0x66, 0x55, PROTO_VERSION, 0,
	    0x04, 0x03, 0x02, 0x01, 0x0d, 0x0c, 0x0b, 0x0a,
	    0xef, 0xbe, 0xad, 0xde, 0, 0, 0, 0 };

	frame_hdr_encode(p, &h);
	CHECK(memcmp(p, want, sizeof(want)) == 0);
}

/* Every prefix of a frame is "not yet", never an error or a frame. */
static void
test_truncated(void)
{
	struct wbuf	 whole = { 0 }, part;
	struct frame_hdr h;
	struct rbuf	 r;
	size_t		 i, start;

	start = frame_begin(&whole, FRAME_LOOKUP, 1, 0, 3);
	wbuf_put_cstr(&whole, "relay");
	frame_finish(&whole, start);
	for (i = 0; i < whole.len; i++) {
		part = (struct wbuf){ 0 };
		wbuf_put(&part, whole.data, i);
		CHECK(frame_next(&part, &h, &r, FRAME_MAX_BODY) == 0);
		CHECK(part.off == 0);
		wbuf_free(&part);
	}
	wbuf_free(&whole);
}

static void
put_raw_hdr(struct wbuf *b, uint32_t len, uint8_t version, uint8_t flags,
    uint32_t reserved)
{
	struct frame_hdr h = { len, FRAME_SEND, version, flags, 1, 2, 0,
	    reserved };

	wbuf_reserve(b, FRAME_HDR_LEN);
	frame_hdr_encode(b->data + b->len, &h);
	b->len += FRAME_HDR_LEN;
}

static void
test_bad_headers(void)
{
	struct wbuf	 b = { 0 };
	struct frame_hdr h;
	struct rbuf	 r;

	put_raw_hdr(&b, 0xffffffff, PROTO_VERSION, 0, 0);
	errno = 0;
	CHECK(frame_next(&b, &h, &r, FRAME_MAX_BODY) == -1 && errno == EMSGSIZE);
	b.len = b.off = 0;
	put_raw_hdr(&b, FRAME_MAX_BODY + 1, PROTO_VERSION, 0, 0);
	CHECK(frame_next(&b, &h, &r, FRAME_MAX_BODY) == -1 && errno == EMSGSIZE);
	b.len = b.off = 0;
	put_raw_hdr(&b, 0, PROTO_VERSION + 1, 0, 0);
	CHECK(frame_next(&b, &h, &r, FRAME_MAX_BODY) == -1 && errno == EPROTO);
	b.len = b.off = 0;
	put_raw_hdr(&b, 0, 0, 0, 0);
	CHECK(frame_next(&b, &h, &r, FRAME_MAX_BODY) == -1 && errno == EPROTO);
	b.len = b.off = 0;
	put_raw_hdr(&b, 0, PROTO_VERSION, 0x80, 0);
	CHECK(frame_next(&b, &h, &r, FRAME_MAX_BODY) == -1 && errno == EPROTO);
	b.len = b.off = 0;
	put_raw_hdr(&b, 0, PROTO_VERSION, 0, 1);
	CHECK(frame_next(&b, &h, &r, FRAME_MAX_BODY) == -1 && errno == EPROTO);
	/* An empty body at the limit's other end is fine. */
	b.len = b.off = 0;
	put_raw_hdr(&b, 0, PROTO_VERSION, 0, 0);
	CHECK(frame_next(&b, &h, &r, FRAME_MAX_BODY) == 1 && h.len == 0);
	CHECK(rbuf_end(&r) == 0);
	wbuf_free(&b);
}

static void
test_oversize_finish(void)
{
	struct wbuf	 b = { 0 };
	size_t		 start;
	char		*big = calloc(1, FRAME_MAX_BODY + 1);

	wbuf_put_cstr(&b, "keep");
	start = frame_begin(&b, FRAME_SEND, 1, 2, 0);
	wbuf_put(&b, big, FRAME_MAX_BODY + 1);
	errno = 0;
	CHECK(frame_finish(&b, start) == -1 && errno == EMSGSIZE);
	CHECK(b.len == start);	/* the frame was taken back out */
	free(big);
	wbuf_free(&b);
}

/* A reader never reads past its end, and says so. */
static void
test_rbuf_bounds(void)
{
	struct rbuf	 r;
	const uint8_t	 lie[] = { 0xff, 0xff, 0xff, 0x7f, 'x' };
	size_t		 n;

	rbuf_init(&r, lie, sizeof(lie));
	CHECK(rbuf_str(&r, &n) == NULL && n == 0 && r.err);
	CHECK(rbuf_end(&r) == -1);
	rbuf_init(&r, lie, 2);
	(void)rbuf_u32(&r);
	CHECK(r.err);
	rbuf_init(&r, lie, sizeof(lie));
	(void)rbuf_u32(&r);
	CHECK(rbuf_end(&r) == -1);	/* a trailing byte is an error */
	(void)rbuf_u8(&r);
	CHECK(rbuf_end(&r) == 0);
}

/* Random bytes: every outcome is a frame, "not yet" or an error. */
/* A string as a C string: refused when short, too long or holding a NUL. */
static void
test_cstrdup(void)
{
	struct wbuf	 b = { 0 };
	struct rbuf	 r;
	char		*s;

	wbuf_put_cstr(&b, "relay");
	wbuf_put_str(&b, "a\0b", 3);
	wbuf_put_cstr(&b, "toolong");
	wbuf_put_u32(&b, 9);		/* claims more than there is */
	rbuf_init(&r, b.data, b.len);
	CHECK((s = rbuf_cstrdup(&r, 5)) != NULL && strcmp(s, "relay") == 0);
	free(s);
	CHECK(rbuf_cstrdup(&r, 5) == NULL && !r.err);
	CHECK(rbuf_cstrdup(&r, 5) == NULL && !r.err);
	CHECK(rbuf_cstrdup(&r, SIZE_MAX) == NULL && r.err);
	wbuf_free(&b);
}

static void
test_garbage(void)
{
	struct wbuf	 b = { 0 };
	struct frame_hdr h;
	struct rbuf	 r;
	unsigned int	 seed = 1;
	int		 i, j, rv;

	for (i = 0; i < 20000; i++) {
		b.len = b.off = 0;
		for (j = 0; j < 40; j++)
			wbuf_put_u8(&b, (uint8_t)rand_r(&seed));
		if (i % 3 == 0)
			b.data[6] = PROTO_VERSION;
		rv = frame_next(&b, &h, &r, 64);
		CHECK(rv >= -1 && rv <= 1);
		if (rv == 1)
			CHECK(h.len <= 64 && h.len <= b.len - FRAME_HDR_LEN);
	}
	wbuf_free(&b);
}

int
main(void)
{
	RUN(test_roundtrip);
	RUN(test_layout);
	RUN(test_truncated);
	RUN(test_bad_headers);
	RUN(test_oversize_finish);
	RUN(test_rbuf_bounds);
	RUN(test_cstrdup);
	RUN(test_garbage);
	UNIT_EXIT();
}
