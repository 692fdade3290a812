/*
 * registry.c: registered names.  A name maps to one live actor; the actor
 * keeps the list of its names so they are all freed when it exits.  An
 * actor that sent by a name may be watching it (its shim then sends to
 * the owner's pid with no reply); when the name leaves its owner, by
 * unregister or the owner's end, each watcher is told NAME_GONE, ahead of
 * anything else it is told after that, so a later send asks again.
 */
#include <stdlib.h>
#include <string.h>

#include "osactor.h"
#include "proto.h"
#include "xmalloc.h"

/* The actors watching one name, kept under the owner's copy of it. */
struct name_watch {
	uint32_t	*ids;
	size_t		 n;
};

/* The name's binding ends: tell its watchers, and forget them. */
static void
registry_unbind(const char *name, size_t n)
{
	struct name_watch	*w;

	if ((w = hmap_del(&sup.name_watchers, name, n)) == NULL)
		return;
	monitor_tell_gone(w->ids, w->n, NULL, 0, name, n);
	free(w->ids);
	free(w);
}

/*
 * Register name (n bytes) for a.  0 on success or when a already has it;
 * -1 with an error kind and message when the name is taken or invalid.
 */
int
registry_add(struct actor *a, const char *name, size_t n, const char **kind,
    const char **why)
{
	struct actor	*owner;
	char		*copy;

	*kind = "Invalid";
	if (n == 0) {
		*why = "invalid name: empty";
		return -1;
	}
	if (n > NAME_MAX_LEN || memchr(name, '\0', n) != NULL) {
		*why = n > NAME_MAX_LEN ? "invalid name: too long" :
		    "invalid name: contains a NUL byte";
		return -1;
	}
	if ((owner = registry_lookup(name, n)) == a)
		return 0;
	if (owner != NULL) {
		*kind = "AlreadyExists";
		*why = "name already registered";
		return -1;
	}
	copy = xstrndup(name, n);
	a->names = xrealloc(a->names, (a->nnames + 1) * sizeof(*a->names));
	a->names[a->nnames++] = copy;
	hmap_put(&sup.names, copy, n, a);
	return 0;
}

/* Where a keeps its copy of name (n bytes), or a->nnames. */
static size_t
registry_index(const struct actor *a, const char *name, size_t n)
{
	size_t	 i;

	for (i = 0; i < a->nnames; i++)
		if (strlen(a->names[i]) == n && memcmp(a->names[i], name, n) == 0)
			break;
	return i;
}

/* Remove one of a's names: 0, or -1 when a does not hold it. */
int
registry_remove(struct actor *a, const char *name, size_t n)
{
	size_t	 i;

	if (registry_lookup(name, n) != a ||
	    (i = registry_index(a, name, n)) == a->nnames)
		return -1;
	registry_unbind(a->names[i], n);
	hmap_del(&sup.names, a->names[i], n);
	free(a->names[i]);
	a->names[i] = a->names[--a->nnames];
	return 0;
}

struct actor *
registry_lookup(const char *name, size_t n)
{
	return hmap_get(&sup.names, name, n);
}

/*
 * The actor with id will hear NAME_GONE when name (n bytes, registered)
 * leaves its owner: 1, or 0 when it has too many live watchers.
 */
int
registry_watch(const char *name, size_t n, uint32_t id)
{
	struct name_watch	*w = hmap_get(&sup.name_watchers, name, n);
	struct actor		*owner = registry_lookup(name, n);
	size_t			 i;

	if (owner == NULL)
		return 0;
	if (w == NULL) {
		if ((i = registry_index(owner, name, n)) == owner->nnames)
			return 0;
		w = xcalloc(1, sizeof(*w));
		hmap_put(&sup.name_watchers, owner->names[i], n, w);
	}
	return idset_watch(&w->ids, &w->n, id);
}

/* a has ended: the watchers of its names hear it, before its EXIT. */
void
registry_notify(struct actor *a)
{
	size_t	 i;

	for (i = 0; i < a->nnames; i++)
		registry_unbind(a->names[i], strlen(a->names[i]));
}

/* Free every name a holds: it has exited. */
void
registry_drop(struct actor *a)
{
	size_t	 i;

	registry_notify(a);	/* if monitor.c has not yet */
	for (i = 0; i < a->nnames; i++) {
		hmap_del(&sup.names, a->names[i], strlen(a->names[i]));
		free(a->names[i]);
	}
	a->nnames = 0;
}
