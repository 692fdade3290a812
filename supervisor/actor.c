/*
 * actor.c: the actor table.  Ids are handed out once for the supervisor's
 * life and never reused, so a stale pid string can never reach a newer
 * actor.  A dead actor stays allocated until the loop's turn ends, since
 * an epoll batch may still name its descriptor.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "osactor.h"
#include "pid.h"
#include "xmalloc.h"

uint32_t
actor_next_id(void)
{
	if (sup.next_id == UINT32_MAX)
		fatalx("actor ids exhausted");
	return ++sup.next_id;
}

struct actor *
actor_new(struct entry *entry, struct entry *host)
{
	struct actor	*a = xcalloc(1, sizeof(*a));

	a->id = actor_next_id();
	a->pid = pid_format(host->id, a->id);
	a->entry = entry;
	a->host = host;
	a->state = ACTOR_RUNNING;
	a->sock = -1;
	a->io.fd = -1;
	a->started = ev_now();
	hmap_put(&sup.actors, &a->id, sizeof(a->id), a);
	sup.nlive++;
	return a;
}

struct actor *
actor_find(uint32_t id)
{
	return hmap_get(&sup.actors, &id, sizeof(id));
}

struct actor *
actor_find_ospid(pid_t pid)
{
	return hmap_get(&sup.ospids, &pid, sizeof(pid));
}

void
actor_set_ospid(struct actor *a, pid_t pid)
{
	a->ospid = pid;
	hmap_put(&sup.ospids, &a->ospid, sizeof(a->ospid), a);
}

/* Take a reaped actor out of every table; it is freed after this turn. */
void
actor_bury(struct actor *a)
{
	a->state = ACTOR_DEAD;
	hmap_del(&sup.actors, &a->id, sizeof(a->id));
	if (a->ospid > 0 && actor_find_ospid(a->ospid) == a)
		hmap_del(&sup.ospids, &a->ospid, sizeof(a->ospid));
	registry_drop(a);
	router_detach(a);
	sup.nlive--;
	a->next_dead = sup.dead;
	sup.dead = a;
}

static void
actor_free(struct actor *a)
{
	wbuf_free(&a->in);
	wbuf_free(&a->out);
	wbuf_free(&a->result.body);
	free(a->result.reason);
	free(a->monitors);
	free(a->links);
	free(a->senders);
	free(a->stalled);
	free(a->names);
	free(a->pid);
	free(a);
}

void
actor_free_dead(void)
{
	struct actor	*a;

	while ((a = sup.dead) != NULL) {
		sup.dead = a->next_dead;
		actor_free(a);
	}
}
