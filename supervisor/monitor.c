/*
 * monitor.c: who hears of an actor's end.  A monitor is kept on the
 * watched actor as the watcher's id; a watcher that died first is simply
 * not found when the EXIT is sent.
 */
#include <time.h>

#include "osactor.h"
#include "proto.h"
#include "xmalloc.h"

void
monitor_add(struct actor *watched, uint32_t watcher)
{
	size_t	 i;

	for (i = 0; i < watched->nmonitors; i++)
		if (watched->monitors[i] == watcher)
			return;
	watched->monitors = xrealloc(watched->monitors,
	    (watched->nmonitors + 1) * sizeof(*watched->monitors));
	watched->monitors[watched->nmonitors++] = watcher;
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

/* a has ended and its result is final: tell every live monitor. */
void
monitor_notify(struct actor *a)
{
	struct actor	*to;
	size_t		 i;

	for (i = 0; i < a->nmonitors; i++) {
		if ((to = actor_find(a->monitors[i])) == NULL ||
		    to->state != ACTOR_RUNNING)
			continue;
		monitor_event(to, EVENT_EXIT, a->pid, a->result.status,
		    a->result.body.data, a->result.body.len);
	}
}
