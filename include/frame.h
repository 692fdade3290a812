/*
 * frame.h: frame headers and the byte buffers frames are built in and
 * parsed from.  Linked into both the supervisor and the shim.
 */
#ifndef OSACTOR_FRAME_H
#define OSACTOR_FRAME_H

#include <stddef.h>
#include <stdint.h>

struct frame_hdr {
	uint32_t	len;		/* body bytes after the header */
	uint16_t	type;		/* enum frame_type */
	uint8_t		version;
	uint8_t		flags;
	uint32_t	src;		/* actor ids; 0 is the supervisor */
	uint32_t	dst;
	uint32_t	ref;		/* request/reply correlation */
	uint32_t	reserved;	/* 0 in version 1 */
};

/* A growable byte buffer; `off` is where unread or unsent bytes start. */
struct wbuf {
	uint8_t		*data;
	size_t		 off;
	size_t		 len;
	size_t		 cap;
};

/* A bounded reader over bytes someone else owns.  Any short read sets err. */
struct rbuf {
	const uint8_t	*data;
	size_t		 len;
	size_t		 off;
	int		 err;
};

void	 wbuf_free(struct wbuf *);
void	 wbuf_reserve(struct wbuf *, size_t);
void	 wbuf_compact(struct wbuf *);
void	 wbuf_put(struct wbuf *, const void *, size_t);
void	 wbuf_put_u8(struct wbuf *, uint8_t);
void	 wbuf_put_u16(struct wbuf *, uint16_t);
void	 wbuf_put_u32(struct wbuf *, uint32_t);
void	 wbuf_put_u64(struct wbuf *, uint64_t);
void	 wbuf_put_str(struct wbuf *, const char *, size_t);
void	 wbuf_put_cstr(struct wbuf *, const char *);
size_t	 wbuf_pending(const struct wbuf *);

void	 rbuf_init(struct rbuf *, const void *, size_t);
uint8_t	 rbuf_u8(struct rbuf *);
uint16_t rbuf_u16(struct rbuf *);
uint32_t rbuf_u32(struct rbuf *);
uint64_t rbuf_u64(struct rbuf *);
const void *rbuf_bytes(struct rbuf *, size_t);
const char *rbuf_str(struct rbuf *, size_t *);
char	*rbuf_cstrdup(struct rbuf *, size_t);
size_t	 rbuf_left(const struct rbuf *);
int	 rbuf_end(const struct rbuf *);

void	 frame_hdr_encode(uint8_t *, const struct frame_hdr *);
int	 frame_hdr_decode(const uint8_t *, size_t, struct frame_hdr *, size_t);
size_t	 frame_begin(struct wbuf *, uint16_t, uint32_t, uint32_t, uint32_t);
int	 frame_finish(struct wbuf *, size_t);
int	 frame_next(struct wbuf *, struct frame_hdr *, struct rbuf *, size_t);

#endif /* OSACTOR_FRAME_H */
