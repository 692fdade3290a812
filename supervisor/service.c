/*
 * service.c: process.service entries.  Each takes one id on node:control
 * for its supervising slot, then runs its actor; a failed actor is
 * restarted after an exponential back-off (API.md section 7), a normal
 * exit ends the service.  Restarts never spin: even an actor that fails
 * at once waits its full delay.
 */
#include <math.h>
#include <stdlib.h>

#include "config.h"
#include "log.h"
#include "osactor.h"
#include "proto.h"
#include "xmalloc.h"

static void	service_restart_cb(struct ev_loop *, struct ev_timer *);

int
service_init(void)
{
	struct app	*app = sup.app;
	struct service	*s;
	size_t		 i;

	for (i = 0; i < app->nentries; i++) {
		if (app->entries[i]->kind != ENTRY_PROCESS_SERVICE)
			continue;
		sup.services = xrealloc(sup.services,
		    (sup.nservices + 1) * sizeof(*sup.services));
		s = &sup.services[sup.nservices++];
		*s = (struct service){ 0 };
		s->entry = app->entries[i];
		s->process = config_find(app, s->entry->process);
		s->host = config_find(app, s->entry->host);
		if (s->process == NULL || s->host == NULL)
			fatalx("service %s: unresolved reference", s->entry->id);
	}
	return 0;
}

static void
service_spawn(struct service *s)
{
	struct wbuf	 args = { 0 };
	char		*err = NULL;

	args_encode_strings(&args, s->entry->input, s->entry->ninput);
	s->actor = spawn_actor(s->process, s->host, 0, args.data, args.len,
	    &err);
	wbuf_free(&args);
	if (s->actor == NULL) {
		log_error("service %s: %s", s->entry->id, err);
		free(err);
		service_exited(s, NULL);
		return;
	}
	s->actor->service = s;
	log_info("service %s started: %s %s", s->entry->id, s->actor->pid,
	    s->process->id);
}

/* Start every auto_start service, in the order the app lists them. */
void
service_start_all(void)
{
	struct service	*s;
	size_t		 i;

	for (i = 0; i < sup.nservices; i++) {
		s = &sup.services[i];
		if (!s->entry->lc.auto_start)
			continue;
		s->slot = actor_next_id();
		s->starting = 1;
		sup.starting++;
		service_spawn(s);
	}
}

static void
service_started(struct service *s)
{
	if (!s->starting)
		return;
	s->starting = 0;
	sup.starting--;
	run_actor_ready(NULL);
}

void
service_ready(struct service *s)
{
	service_started(s);
}

/* The back-off before attempt n (1-based), jittered by +-jitter. */
static int64_t
service_delay(const struct restart_policy *p, int64_t n)
{
	double	 d, j;

	d = (double)p->initial_delay * pow(p->backoff_factor, (double)(n - 1));
	if (d > (double)p->max_delay)
		d = (double)p->max_delay;
	if (p->jitter > 0) {
		j = ((double)arc4random_uniform(2001) / 1000.0 - 1.0) *
		    p->jitter;
		d += d * j;
	}
	return d < 0 ? 0 : (int64_t)d;
}

/* a ended (NULL: it could not even start). */
void
service_exited(struct service *s, struct actor *a)
{
	const struct lifecycle *lc = &s->entry->lc;
	int64_t		 delay;

	s->actor = NULL;
	service_started(s);
	if (sup.stopping)
		return;
	if (a != NULL && a->result.status == PROTO_OK) {
		s->done = 1;
		log_info("service %s: exited normally", s->entry->id);
		return;
	}
	if (a != NULL && (int64_t)(ev_now() - a->started) >= lc->stable_threshold)
		s->attempts = 0;
	s->attempts++;
	if (lc->restart.max_attempts > 0 &&
	    s->attempts > lc->restart.max_attempts) {
		s->failed = 1;
		log_error("service %s: failed after %lld attempts",
		    s->entry->id, (long long)lc->restart.max_attempts);
		return;
	}
	delay = service_delay(&lc->restart, s->attempts);
	log_warnx("service %s: restarting in %.3f s (attempt %lld)",
	    s->entry->id, (double)delay / 1e9, (long long)s->attempts);
	ev_timer_start(&sup.loop, &s->restart, (uint64_t)delay,
	    service_restart_cb, s);
}

static void
service_restart_cb(struct ev_loop *loop, struct ev_timer *t)
{
	struct service	*s = t->arg;

	if (!sup.stopping && s->actor == NULL)
		service_spawn(s);
}
