/*
 * registry.c: registered names.  A name maps to one live actor; the actor
 * keeps the list of its names so they are all freed when it exits.
 */
#include <stdlib.h>
#include <string.h>

#include "osactor.h"
#include "proto.h"
#include "xmalloc.h"

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

/* Remove one of a's names: 0, or -1 when a does not hold it. */
int
registry_remove(struct actor *a, const char *name, size_t n)
{
	size_t	 i;

	if (registry_lookup(name, n) != a)
		return -1;
	for (i = 0; i < a->nnames; i++) {
		if (strlen(a->names[i]) != n || memcmp(a->names[i], name, n))
			continue;
		hmap_del(&sup.names, a->names[i], n);
		free(a->names[i]);
		a->names[i] = a->names[--a->nnames];
		return 0;
	}
	return -1;
}

struct actor *
registry_lookup(const char *name, size_t n)
{
	return hmap_get(&sup.names, name, n);
}

/* Free every name a holds: it has exited. */
void
registry_drop(struct actor *a)
{
	size_t	 i;

	for (i = 0; i < a->nnames; i++) {
		hmap_del(&sup.names, a->names[i], strlen(a->names[i]));
		free(a->names[i]);
	}
	a->nnames = 0;
}
