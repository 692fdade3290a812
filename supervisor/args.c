/*
 * args.c: the corners of the value encoding the supervisor itself
 * touches: the strings it hands to an actor's main (command-line words, a
 * service's input) as a value sequence, and the pids it finds in spawn
 * arguments.  The format is value.c's (u32 count, then per value a u8 tag
 * and its data), and tests/unit/value_test.c decodes this output and
 * walks value.c's to keep the two equal.
 */
#include <string.h>

#include "osactor.h"
#include "pid.h"

#define VALUE_TAG_NIL		0
#define VALUE_TAG_FALSE		1
#define VALUE_TAG_TRUE		2
#define VALUE_TAG_INT		3
#define VALUE_TAG_FLOAT		4
#define VALUE_TAG_STRING	5
#define VALUE_TAG_TABLE		6
#define VALUE_TAG_ERROR		7
#define WALK_DEPTH		128	/* value.c's VALUE_MAX_DEPTH */

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

struct pid_walk {
	uint32_t	*ids;
	size_t		 max, n;
};

static int	walk_values(struct rbuf *, uint32_t, int, struct pid_walk *);

/*
 * One value: 0, or -1 to stop: it is malformed or nested past WALK_DEPTH,
 * or it was the last pid there is room for.
 */
static int
walk_value(struct rbuf *r, int depth, struct pid_walk *w)
{
	const char	*s;
	size_t		 len;
	uint32_t	 id;

	switch (rbuf_u8(r)) {
	case VALUE_TAG_NIL:
	case VALUE_TAG_FALSE:
	case VALUE_TAG_TRUE:
		break;
	case VALUE_TAG_INT:
	case VALUE_TAG_FLOAT:
		(void)rbuf_u64(r);
		break;
	case VALUE_TAG_STRING:
		s = rbuf_str(r, &len);
		if (s != NULL && pid_parse(s, len, &id) == 0) {
			w->ids[w->n++] = id;
			if (w->n == w->max)
				return -1;
		}
		break;
	case VALUE_TAG_TABLE:
		if (depth == WALK_DEPTH ||
		    walk_values(r, rbuf_u32(r), depth + 1, w) == -1)
			return -1;
		id = rbuf_u32(r);	/* key and value pairs */
		if (id > UINT32_MAX / 2 ||
		    walk_values(r, id * 2, depth + 1, w) == -1)
			return -1;
		break;
	case VALUE_TAG_ERROR:
		(void)rbuf_str(r, &len);
		(void)rbuf_str(r, &len);
		(void)rbuf_u8(r);
		break;
	default:
		return -1;
	}
	return r->err ? -1 : 0;
}

static int
walk_values(struct rbuf *r, uint32_t n, int depth, struct pid_walk *w)
{
	uint32_t	 i;

	for (i = 0; i < n && !r->err; i++)
		if (walk_value(r, depth, w) == -1)
			return -1;
	return r->err ? -1 : 0;
}

/*
 * The ids of the pid strings in a value sequence, in tables too, up to
 * max (> 0) of them: how many, or what was found before the sequence
 * turned out malformed.
 */
size_t
args_find_pids(const void *args, size_t len, uint32_t *ids, size_t max)
{
	struct pid_walk	 w = { ids, max, 0 };
	struct rbuf	 r;

	if (max == 0)
		return 0;
	rbuf_init(&r, args, len);
	(void)walk_values(&r, rbuf_u32(&r), 0, &w);
	return w.n;
}
