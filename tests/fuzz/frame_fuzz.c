/*
 * frame_fuzz.c: libFuzzer target for the frame decoder both programs use:
 * any byte stream, fed in pieces of every size, must give whole frames
 * inside the buffer, "not yet", or an error, and never read past its end.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "frame.h"
#include "proto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Every field the decoder hands out stays inside the frame's body. */
static void
walk_body(struct rbuf *r)
{
	size_t	 n;

	while (!r->err && rbuf_left(r) > 0) {
		switch (rbuf_u8(r) & 3) {
		case 0:
			(void)rbuf_str(r, &n);
			break;
		case 1:
			(void)rbuf_u64(r);
			break;
		case 2:
			(void)rbuf_bytes(r, rbuf_u16(r));
			break;
		default:
			(void)rbuf_u32(r);
			break;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wbuf	 in = { 0 };
	struct frame_hdr h;
	struct rbuf	 body;
	size_t		 step, fed = 0;
	int		 rv = 0;

	/* The first byte picks how the stream is cut, as reads would cut it. */
	step = size > 0 ? (size_t)data[0] % 64 + 1 : 1;
	while (fed < size && rv != -1) {
		size_t	 n = size - fed < step ? size - fed : step;

		wbuf_put(&in, data + fed, n);
		fed += n;
		while ((rv = frame_next(&in, &h, &body, FRAME_MAX_SEND)) == 1) {
			if (body.len != h.len || h.version != PROTO_VERSION)
				__builtin_trap();
			walk_body(&body);
		}
		wbuf_compact(&in);
	}
	wbuf_free(&in);
	return 0;
}
