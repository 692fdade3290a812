/*
 * frame.c: the frame codec and its byte buffers, shared by the supervisor
 * and the shim.  Nothing here trusts a length it has not checked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "proto.h"
#include "xmalloc.h"

void
wbuf_free(struct wbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* Make room for n more bytes after len. */
void
wbuf_reserve(struct wbuf *b, size_t n)
{
	size_t	 need, cap;

	if (n > SIZE_MAX - b->len)
		fatalx("wbuf_reserve: size overflow");
	need = b->len + n;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

/*
 * Drop the consumed bytes before off.  The rest moves to the start only
 * once it is no longer than what was consumed, so a long queue drained a
 * socket buffer at a time is moved O(1) times per byte, not once a write.
 */
void
wbuf_compact(struct wbuf *b)
{
	if (b->off == 0)
		return;
	if (b->len - b->off > b->off)
		return;
	if (b->off < b->len)
		memmove(b->data, b->data + b->off, b->len - b->off);
	b->len -= b->off;
	b->off = 0;
}

size_t
wbuf_pending(const struct wbuf *b)
{
	return b->len - b->off;
}

void
wbuf_put(struct wbuf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	wbuf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

/* Little-endian, whatever the host's order. */
static void
le_put(uint8_t *p, uint64_t v, int size)
{
	int	 i;

	for (i = 0; i < size; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

static void
wbuf_put_le(struct wbuf *b, uint64_t v, int size)
{
	wbuf_reserve(b, size);
	le_put(b->data + b->len, v, size);
	b->len += size;
}

void
wbuf_put_u8(struct wbuf *b, uint8_t v)
{
	wbuf_put_le(b, v, 1);
}

void
wbuf_put_u16(struct wbuf *b, uint16_t v)
{
	wbuf_put_le(b, v, 2);
}

void
wbuf_put_u32(struct wbuf *b, uint32_t v)
{
	wbuf_put_le(b, v, 4);
}

void
wbuf_put_u64(struct wbuf *b, uint64_t v)
{
	wbuf_put_le(b, v, 8);
}

/* A string is a u32 length and its bytes; NULs are allowed. */
void
wbuf_put_str(struct wbuf *b, const char *s, size_t n)
{
	if (n > UINT32_MAX)
		fatalx("wbuf_put_str: string too long");
	wbuf_put_u32(b, (uint32_t)n);
	wbuf_put(b, s, n);
}

void
wbuf_put_cstr(struct wbuf *b, const char *s)
{
	wbuf_put_str(b, s, strlen(s));
}

void
rbuf_init(struct rbuf *r, const void *p, size_t n)
{
	r->data = p;
	r->len = n;
	r->off = 0;
	r->err = 0;
}

size_t
rbuf_left(const struct rbuf *r)
{
	return r->len - r->off;
}

/* n bytes, or NULL with err set when fewer are left. */
const void *
rbuf_bytes(struct rbuf *r, size_t n)
{
	const void	*p;

	if (r->err || n > rbuf_left(r)) {
		r->err = 1;
		return NULL;
	}
	p = r->data + r->off;
	r->off += n;
	return p;
}

static uint64_t
rbuf_uint(struct rbuf *r, int size)
{
	const uint8_t	*p;
	uint64_t	 v = 0;
	int		 i;

	if ((p = rbuf_bytes(r, size)) == NULL)
		return 0;
	for (i = size - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

uint8_t
rbuf_u8(struct rbuf *r)
{
	return (uint8_t)rbuf_uint(r, 1);
}

uint16_t
rbuf_u16(struct rbuf *r)
{
	return (uint16_t)rbuf_uint(r, 2);
}

uint32_t
rbuf_u32(struct rbuf *r)
{
	return (uint32_t)rbuf_uint(r, 4);
}

uint64_t
rbuf_u64(struct rbuf *r)
{
	return rbuf_uint(r, 8);
}

/* The bytes of a string; not NUL-terminated.  NULL with err on a short body. */
const char *
rbuf_str(struct rbuf *r, size_t *n)
{
	uint32_t	 len;
	const char	*p;

	len = rbuf_u32(r);
	p = rbuf_bytes(r, len);
	*n = p != NULL ? len : 0;
	return p;
}

/*
 * A string as a C string of the caller's: NULL when the body is short, the
 * string is longer than max or it holds a NUL (it could not be one).
 */
char *
rbuf_cstrdup(struct rbuf *r, size_t max)
{
	const char	*s;
	size_t		 n;

	if ((s = rbuf_str(r, &n)) == NULL || n > max ||
	    memchr(s, '\0', n) != NULL)
		return NULL;
	return xstrndup(s, n);
}

/* 0 when every byte was read and nothing was short; -1 otherwise. */
int
rbuf_end(const struct rbuf *r)
{
	return r->err || r->off != r->len ? -1 : 0;
}

void
frame_hdr_encode(uint8_t *out, const struct frame_hdr *h)
{
	le_put(out, h->len, 4);
	le_put(out + 4, h->type, 2);
	out[6] = h->version;
	out[7] = h->flags;
	le_put(out + 8, h->src, 4);
	le_put(out + 12, h->dst, 4);
	le_put(out + 16, h->ref, 4);
	le_put(out + 20, h->reserved, 4);
}

/*
 * Decode a header from the first n bytes of p.  Returns 1 with *h filled,
 * 0 when fewer than FRAME_HDR_LEN bytes are there, -1 with errno EPROTO
 * (wrong version, reserved bits set) or EMSGSIZE (body over max).
 */
int
frame_hdr_decode(const uint8_t *p, size_t n, struct frame_hdr *h, size_t max)
{
	struct rbuf	 r;

	if (n < FRAME_HDR_LEN)
		return 0;
	rbuf_init(&r, p, FRAME_HDR_LEN);
	h->len = rbuf_u32(&r);
	h->type = rbuf_u16(&r);
	h->version = rbuf_u8(&r);
	h->flags = rbuf_u8(&r);
	h->src = rbuf_u32(&r);
	h->dst = rbuf_u32(&r);
	h->ref = rbuf_u32(&r);
	h->reserved = rbuf_u32(&r);
	if (h->version != PROTO_VERSION || h->flags != 0 || h->reserved != 0) {
		errno = EPROTO;
		return -1;
	}
	if (h->len > max) {
		errno = EMSGSIZE;
		return -1;
	}
	return 1;
}

/* Start a frame in b; returns where it starts, for frame_finish. */
size_t
frame_begin(struct wbuf *b, uint16_t type, uint32_t src, uint32_t dst,
    uint32_t ref)
{
	struct frame_hdr h = { 0, type, PROTO_VERSION, 0, src, dst, ref, 0 };
	size_t		 start = b->len;

	wbuf_reserve(b, FRAME_HDR_LEN);
	frame_hdr_encode(b->data + b->len, &h);
	b->len += FRAME_HDR_LEN;
	return start;
}

/*
 * Patch the body length of the frame begun at start.  A body over the
 * limit is taken back out of b: -1 with errno EMSGSIZE.
 */
int
frame_finish(struct wbuf *b, size_t start)
{
	size_t		 body = b->len - start - FRAME_HDR_LEN;

	if (body > FRAME_MAX_BODY) {
		b->len = start;
		errno = EMSGSIZE;
		return -1;
	}
	le_put(b->data + start, body, 4);
	return 0;
}

/*
 * Take the next whole frame from the unread bytes of b.  Returns 1 with
 * the header and a reader over its body (valid until b changes), 0 when
 * no whole frame is there yet, -1 with errno on a malformed header.
 */
int
frame_next(struct wbuf *b, struct frame_hdr *h, struct rbuf *body, size_t max)
{
	const uint8_t	*p = b->data + b->off;
	size_t		 n = wbuf_pending(b);
	int		 rv;

	if ((rv = frame_hdr_decode(p, n, h, max)) <= 0)
		return rv;
	if (n - FRAME_HDR_LEN < h->len)
		return 0;
	rbuf_init(body, p + FRAME_HDR_LEN, h->len);
	b->off += FRAME_HDR_LEN + h->len;
	return 1;
}
