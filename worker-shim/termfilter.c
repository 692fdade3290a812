/*
 * termfilter.c: keeps an actor from reprogramming the operator's
 * terminal.  Only well-formed SGR sequences (ESC '[', digits and ';',
 * 'm': colours and attributes) pass; any other ESC byte is dropped alone,
 * so what followed it prints as plain text ("ESC [2J" shows "[2J").  The
 * UTF-8 forms of the C1 controls (U+0080..U+009F, among them the one-byte
 * CSI and OSC that some terminals honour) are dropped too.  State
 * carries across writes, so a sequence split between two io.write calls
 * is judged whole.
 */
#include <stddef.h>

#include "frame.h"
#include "termfilter.h"

#define ESC		0x1b
#define UTF8_C1_LEAD	0xc2	/* U+0080..U+009F are 0xc2 0x80..0x9f */

enum tf_state {
	TF_GROUND,
	TF_ESC,			/* after ESC */
	TF_CSI,			/* after ESC '[' and parameter bytes */
	TF_C1,			/* after 0xc2 */
};

void
termfilter_init(struct termfilter *tf)
{
	tf->state = TF_GROUND;
	tf->npend = 0;
}

/* What was held is no escape after all: drop the ESC, keep the rest. */
static void
tf_abort(struct termfilter *tf, struct wbuf *out)
{
	if (tf->state == TF_C1)
		wbuf_put(out, tf->pend, tf->npend);
	else if (tf->npend > 1)
		wbuf_put(out, tf->pend + 1, tf->npend - 1);
	tf->npend = 0;
	tf->state = TF_GROUND;
}

static int
tf_hold(struct termfilter *tf, unsigned char c, int state)
{
	tf->pend[tf->npend++] = (char)c;
	tf->state = state;
	return 1;
}

/* Feed c to the held sequence; 0 when c is left for the ground state. */
static int
tf_step(struct termfilter *tf, struct wbuf *out, unsigned char c)
{
	switch (tf->state) {
	case TF_ESC:
		if (c == '[')
			return tf_hold(tf, c, TF_CSI);
		break;
	case TF_CSI:
		if (c == 'm') {
			tf_hold(tf, c, TF_GROUND);
			wbuf_put(out, tf->pend, tf->npend);
			tf->npend = 0;
			return 1;
		}
		if (((c >= '0' && c <= '9') || c == ';') &&
		    tf->npend < TERMFILTER_MAX - 1)
			return tf_hold(tf, c, TF_CSI);
		break;
	case TF_C1:
		if (c >= 0x80 && c <= 0x9f) {
			tf->npend = 0;
			tf->state = TF_GROUND;
			return 1;
		}
		break;
	}
	tf_abort(tf, out);
	return 0;
}

void
termfilter_write(struct termfilter *tf, struct wbuf *out, const char *s,
    size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, run;

	while (i < n) {
		if (tf->state != TF_GROUND) {
			if (tf_step(tf, out, p[i]))
				i++;
			continue;
		}
		for (run = i; i < n && p[i] != ESC && p[i] != UTF8_C1_LEAD;
		    i++)
			;
		wbuf_put(out, s + run, i - run);
		if (i < n) {
			tf->npend = 0;
			tf_hold(tf, p[i], p[i] == ESC ? TF_ESC : TF_C1);
			i++;
		}
	}
}

/* The stream ends: a sequence still open was never one. */
void
termfilter_finish(struct termfilter *tf, struct wbuf *out)
{
	if (tf->state != TF_GROUND)
		tf_abort(tf, out);
}
