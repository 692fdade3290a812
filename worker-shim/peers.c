/*
 * peers.c: the actors this one may send to without waiting for a reply.
 * An id is here once the supervisor said it watches us as that actor's
 * sender, and leaves when the supervisor says the actor is gone (GONE):
 * a send to any other id asks the supervisor, which knows.  A set of
 * u32 ids (never 0), open addressing with linear probing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"
#include "xmalloc.h"

static uint32_t	*slots;		/* 0: empty */
static size_t	 cap, n;	/* cap: a power of two, or 0 */

static size_t
peers_slot(uint32_t id)
{
	return (size_t)((id * 2654435761U) & (cap - 1));
}

static void
peers_grow(void)
{
	uint32_t	*old = slots;
	size_t		 i, oldcap = cap;

	cap = cap ? cap * 2 : 16;
	slots = xcalloc(cap, sizeof(*slots));
	n = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i] != 0)
			peers_add(old[i]);
	free(old);
}

int
peers_has(uint32_t id)
{
	size_t	 i;

	if (cap == 0)
		return 0;
	for (i = peers_slot(id); slots[i] != 0; i = (i + 1) & (cap - 1))
		if (slots[i] == id)
			return 1;
	return 0;
}

void
peers_add(uint32_t id)
{
	size_t	 i;

	if ((n + 1) * 2 > cap)
		peers_grow();
	for (i = peers_slot(id); slots[i] != 0; i = (i + 1) & (cap - 1))
		if (slots[i] == id)
			return;
	slots[i] = id;
	n++;
}

/* Take id out, moving back what probed past it so lookups still work. */
void
peers_del(uint32_t id)
{
	size_t	 i, j, home;

	if (cap == 0)
		return;
	for (i = peers_slot(id); slots[i] != id; i = (i + 1) & (cap - 1))
		if (slots[i] == 0)
			return;
	slots[i] = 0;
	n--;
	for (j = (i + 1) & (cap - 1); slots[j] != 0; j = (j + 1) & (cap - 1)) {
		home = peers_slot(slots[j]);
		/* slots[j] may fill the hole at i unless home is in (i, j]. */
		if (((j - home) & (cap - 1)) >= ((j - i) & (cap - 1))) {
			slots[i] = slots[j];
			slots[j] = 0;
			i = j;
		}
	}
}

/*
 * Names this actor sent by, each with the id of the actor that held it
 * then, for as long as the supervisor has not said NAME_GONE: a send by
 * one of them goes to that id with no reply.  A few are kept; a send by
 * any other name asks.
 */
#define NAMES_MAX	32

static struct {
	char		*name;
	size_t		 len;
	uint32_t	 id;
} names[NAMES_MAX];
static size_t	 nnames;

static size_t
names_find(const char *name, size_t len)
{
	size_t	 i;

	for (i = 0; i < nnames; i++)
		if (names[i].len == len && memcmp(names[i].name, name, len) == 0)
			break;
	return i;
}

/* The id name resolves to without asking, or 0. */
uint32_t
peers_name(const char *name, size_t len)
{
	size_t	 i = names_find(name, len);

	return i < nnames ? names[i].id : 0;
}

void
peers_name_add(const char *name, size_t len, uint32_t id)
{
	size_t	 i = names_find(name, len);

	if (i == nnames) {
		if (nnames == NAMES_MAX)
			return;
		names[i].name = xmalloc(len > 0 ? len : 1);
		memcpy(names[i].name, name, len);
		names[i].len = len;
		nnames++;
	}
	names[i].id = id;
}

void
peers_name_del(const char *name, size_t len)
{
	size_t	 i = names_find(name, len);

	if (i == nnames)
		return;
	free(names[i].name);
	names[i] = names[--nnames];
}
