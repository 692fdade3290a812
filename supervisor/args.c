/*
 * args.c: the strings the supervisor itself hands to an actor's main
 * (command-line words, a service's input) as a value sequence.  This is
 * the one corner of the value encoding the supervisor writes; the format
 * is value.c's (u32 count, then tag 5 + u32 length + bytes per string),
 * and tests/unit/value_test.c decodes this output to keep the two equal.
 */
#include <string.h>

#include "osactor.h"

#define VALUE_TAG_STRING	5

void
args_encode_strings(struct wbuf *b, char *const *v, size_t n)
{
	size_t	 i;

	wbuf_put_u32(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		wbuf_put_u8(b, VALUE_TAG_STRING);
		wbuf_put_cstr(b, v[i]);
	}
}
