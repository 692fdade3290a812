/*
 * hmap.c: an open-addressing hash map with linear probing and
 * backward-shift deletion (no tombstones, so lookups stay short after
 * many deletions).  Keys are byte strings owned by the values; routing
 * and registry lookups are O(1) whatever the number of actors.
 */
#include <stdlib.h>
#include <string.h>

#include "osactor.h"
#include "xmalloc.h"

/* FNV-1a, then a final mix so short integer keys spread over the table. */
uint64_t
hmap_hash(const void *key, size_t n)
{
	const uint8_t	*p = key;
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static struct hmap_slot *
hmap_find(const struct hmap *m, const void *key, size_t n, uint64_t h)
{
	struct hmap_slot	*s;
	size_t			 i;

	if (m->cap == 0)
		return NULL;
	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		s = &m->slots[i];
		if (s->key == NULL)
			return NULL;
		if (s->hash == h && s->klen == n && memcmp(s->key, key, n) == 0)
			return s;
	}
}

void *
hmap_get(const struct hmap *m, const void *key, size_t n)
{
	struct hmap_slot *s = hmap_find(m, key, n, hmap_hash(key, n));

	return s != NULL ? s->val : NULL;
}

static void
hmap_insert(struct hmap *m, const struct hmap_slot *in)
{
	size_t	 i;

	for (i = in->hash & (m->cap - 1); m->slots[i].key != NULL;
	    i = (i + 1) & (m->cap - 1))
		;
	m->slots[i] = *in;
	m->n++;
}

static void
hmap_grow(struct hmap *m)
{
	struct hmap_slot	*old = m->slots;
	size_t			 i, oldcap = m->cap;

	m->cap = oldcap ? oldcap * 2 : 16;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	m->n = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].key != NULL)
			hmap_insert(m, &old[i]);
	free(old);
}

/* Add or replace; the key bytes must live as long as the entry. */
void
hmap_put(struct hmap *m, const void *key, size_t n, void *val)
{
	struct hmap_slot	 in = { hmap_hash(key, n), key, n, val };
	struct hmap_slot	*s;

	if ((s = hmap_find(m, key, n, in.hash)) != NULL) {
		*s = in;
		return;
	}
	if ((m->n + 1) * 4 > m->cap * 3)
		hmap_grow(m);
	hmap_insert(m, &in);
}

/* Remove key; returns its value, or NULL when it was not there. */
void *
hmap_del(struct hmap *m, const void *key, size_t n)
{
	struct hmap_slot	*s;
	size_t			 hole, i, home, mask = m->cap - 1;
	void			*val;

	if ((s = hmap_find(m, key, n, hmap_hash(key, n))) == NULL)
		return NULL;
	val = s->val;
	hole = (size_t)(s - m->slots);
	for (i = (hole + 1) & mask; m->slots[i].key != NULL;
	    i = (i + 1) & mask) {
		home = m->slots[i].hash & mask;
		/* Move i back into the hole unless its home lies after it. */
		if (((i - home) & mask) >= ((i - hole) & mask)) {
			m->slots[hole] = m->slots[i];
			hole = i;
		}
	}
	memset(&m->slots[hole], 0, sizeof(m->slots[hole]));
	m->n--;
	return val;
}

void
hmap_free(struct hmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
