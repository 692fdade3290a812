/*
 * monitor.c: who hears of an actor's end.  A monitor is kept on the
 * watched actor as the watcher's id; a watcher that died first is simply
 * not found when the EXIT is sent.  A link is kept on both actors; when
 * one ends with an error the other gets LINK_DOWN (the shim then fails
 * unless it traps links), and an ordinary end just drops the link.
 * Senders are actors that may pipeline sends to an actor (no reply per
 * message): each is told GONE when it ends, before any EXIT; those that
 * send to one of its names are told NAME_GONE first (registry.c).
 */
#include <time.h>

#include "osactor.h"
#include "proto.h"
#include "xmalloc.h"

/*
 * Senders watched per actor: 4 bytes each.  Past this, after the dead
 * ones are swept out, a new sender is not watched and its shim keeps
 * asking the supervisor for each send, so memory stays bounded.
 */
#define SENDERS_MAX	256

/* Add id to a set of ids; -1 when it is there already. */
int
idset_add(uint32_t **set, size_t *n, uint32_t id)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if ((*set)[i] == id)
			return -1;
	*set = xrealloc(*set, (*n + 1) * sizeof(**set));
	(*set)[(*n)++] = id;
	return 0;
}

/* Take id out of a set of ids; -1 when it was not there. */
static int
idset_remove(uint32_t *set, size_t *n, uint32_t id)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (set[i] == id) {
			set[i] = set[--*n];
			return 0;
		}
	return -1;
}

int
monitor_add(struct actor *watched, uint32_t watcher)
{
	return idset_add(&watched->monitors, &watched->nmonitors, watcher);
}

int
monitor_remove(struct actor *watched, uint32_t watcher)
{
	return idset_remove(watched->monitors, &watched->nmonitors, watcher);
}

int
link_add(struct actor *a, struct actor *b)
{
	if (idset_add(&a->links, &a->nlinks, b->id) == -1)
		return -1;
	(void)idset_add(&b->links, &b->nlinks, a->id);
	return 0;
}

int
link_remove(struct actor *a, struct actor *b)
{
	if (idset_remove(a->links, &a->nlinks, b->id) == -1)
		return -1;
	(void)idset_remove(b->links, &b->nlinks, a->id);
	return 0;
}

/*
 * Queue an event for to: kind, the pid it is about, the time, a status
 * and its bytes (value bytes, or an error message or cancel reason).
 */
void
monitor_event(struct actor *to, int kind, const char *from, uint8_t status,
    const void *body, size_t len)
{
	size_t	 start;

	start = frame_begin(&to->out, FRAME_EVENT, 0, to->id, 0);
	wbuf_put_u8(&to->out, (uint8_t)kind);
	wbuf_put_cstr(&to->out, from);
	wbuf_put_u64(&to->out, (uint64_t)time(NULL));
	wbuf_put_u8(&to->out, status);
	wbuf_put(&to->out, body, len);
	if (frame_finish(&to->out, start) == -1)
		fatalx("event frame too large");
	router_queue(to);
}

/*
 * Tell each running actor of the n in set but skip that what it sends
 * to is gone: GONE with id, or with name (not NULL) NAME_GONE.
 */
void
monitor_tell_gone(const uint32_t *set, size_t n, const struct actor *skip,
    uint32_t id, const char *name, size_t len)
{
	struct actor	*to;
	size_t		 i, start;

	for (i = 0; i < n; i++) {
		if ((to = actor_find(set[i])) == NULL ||
		    to->state != ACTOR_RUNNING || to == skip)
			continue;
		start = frame_begin(&to->out, name ? FRAME_NAME_GONE :
		    FRAME_GONE, 0, to->id, 0);
		if (name != NULL)
			wbuf_put_str(&to->out, name, len);
		else
			wbuf_put_u32(&to->out, id);
		if (frame_finish(&to->out, start) == -1)
			fatalx("gone frame too large");
		router_queue(to);
	}
}

/* a has ended: its senders hear it first, so later sends fail. */
static void
monitor_gone(struct actor *a)
{
	registry_notify(a);
	monitor_tell_gone(a->senders, a->nsenders, a, a->id, NULL, 0);
	a->nsenders = 0;
}

/*
 * a has ended and its result is final: tell its senders (first, so a
 * send after any news of the end fails), its monitors and its links.
 */
void
monitor_notify(struct actor *a)
{
	struct actor	*to;
	size_t		 i;

	monitor_gone(a);
	for (i = 0; i < a->nmonitors; i++) {
		if ((to = actor_find(a->monitors[i])) == NULL ||
		    to->state != ACTOR_RUNNING)
			continue;
		monitor_event(to, EVENT_EXIT, a->pid, a->result.status,
		    a->result.body.data, a->result.body.len);
	}
	for (i = 0; i < a->nlinks; i++) {
		if ((to = actor_find(a->links[i])) == NULL)
			continue;
		(void)idset_remove(to->links, &to->nlinks, a->id);
		if (a->result.status == PROTO_ERROR &&
		    to->state == ACTOR_RUNNING)
			monitor_event(to, EVENT_LINK_DOWN, a->pid, PROTO_ERROR,
			    a->result.body.data, a->result.body.len);
	}
	a->nlinks = 0;
}

/* Drop the ids of actors that have ended from a set. */
static void
idset_sweep(uint32_t *set, size_t *n)
{
	size_t	 i = 0;

	while (i < *n)
		if (actor_find(set[i]) == NULL)
			set[i] = set[--*n];
		else
			i++;
}

/*
 * Add id to a set of watchers (of an actor's end, or a name's): 1, or 0
 * when the set has SENDERS_MAX live ones already.
 */
int
idset_watch(uint32_t **set, size_t *n, uint32_t id)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if ((*set)[i] == id)
			return 1;
	if (*n == SENDERS_MAX)
		idset_sweep(*set, n);
	if (*n == SENDERS_MAX)
		return 0;
	(void)idset_add(set, n, id);
	return 1;
}

/*
 * The sender with id will be told when a ends: 1, or 0 when a watches
 * too many live senders already (the sender must keep asking).
 */
int
monitor_watch_sender(struct actor *a, uint32_t id)
{
	return idset_watch(&a->senders, &a->nsenders, id);
}
