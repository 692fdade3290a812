/*
 * service.c: process.service entries (API.md section 7).  Each takes one
 * id on node:control for its supervising slot, then runs its actor once
 * every service it requires is up: running (its main reached its first
 * wait) or done (it returned normally), as systemd treats a oneshot.  One
 * whose requirement failed for good fails too, naming it.  A failed actor
 * is restarted after an exponential back-off (backoff.c), a normal exit
 * ends the service.  Restarts never spin: even an actor that fails at once
 * waits its full delay, never under RESTART_MIN_DELAY.  Services stop in
 * reverse dependency order, at shutdown or when one is stopped (its
 * dependents first, as systemd propagates a stop), each given its
 * stop_timeout after CANCEL before it is killed.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "osactor.h"
#include "proto.h"
#include "xmalloc.h"

static void	service_timer_cb(struct ev_loop *, struct ev_timer *);
static void	service_spawn(struct service *);
static void	service_stop_step(void);

static const char *const state_names[] = {
	"stopped", "waiting", "starting", "running", "restarting", "stopping",
	"done", "failed",
};

const char *
service_state(const struct service *s)
{
	return state_names[s->state];
}

struct service *
service_find(const char *id)
{
	size_t	 i;

	for (i = 0; i < sup.nservices; i++)
		if (strcmp(sup.services[i].entry->id, id) == 0 ||
		    strcmp(sup.services[i].entry->name, id) == 0)
			return &sup.services[i];
	return NULL;
}

/* requires: entries that are services; a host or other entry is up. */
static void
service_link_requires(struct service *s)
{
	const struct lifecycle *lc = &s->entry->lc;
	struct service	*r;
	size_t		 i;

	s->requires = xcalloc(lc->nrequires + 1, sizeof(*s->requires));
	for (i = 0; i < lc->nrequires; i++)
		if ((r = service_find(lc->requires[i])) != NULL)
			s->requires[s->nrequires++] = r;
}

int
service_init(void)
{
	struct app	*app = sup.app;
	struct service	*s;
	size_t		 i, n = 0;

	for (i = 0; i < app->nentries; i++)
		n += app->entries[i]->kind == ENTRY_PROCESS_SERVICE;
	sup.services = xcalloc(n + 1, sizeof(*sup.services));
	for (i = 0; i < app->nentries; i++) {
		if (app->entries[i]->kind != ENTRY_PROCESS_SERVICE)
			continue;
		s = &sup.services[sup.nservices++];
		s->entry = app->entries[i];
		s->process = config_find(app, s->entry->process);
		s->host = config_find(app, s->entry->host);
		if (s->process == NULL || s->host == NULL)
			fatalx("service %s: unresolved reference", s->entry->id);
	}
	for (i = 0; i < sup.nservices; i++)
		service_link_requires(&sup.services[i]);
	return 0;
}

static void
service_uncount(struct service *s)
{
	if (!s->counted)
		return;
	s->counted = 0;
	sup.starting--;
	run_actor_ready(NULL);
}

/* Up for its dependents: running and not being stopped, or done. */
static int
service_up(const struct service *r)
{
	return (r->state == SVC_RUNNING && !r->stop_wanted) ||
	    r->state == SVC_DONE;
}

/* The first requirement of s that is not up (NULL: all are). */
static struct service *
service_blocker(const struct service *s)
{
	size_t	 i;

	for (i = 0; i < s->nrequires; i++)
		if (!service_up(s->requires[i]))
			return s->requires[i];
	return NULL;
}

static void
service_set_error(struct service *s, const char *why, size_t len)
{
	free(s->last_error);
	s->last_error = xstrndup(why, len);
}

/* s will not run: a service it requires has failed for good. */
static void
service_give_up(struct service *s, const struct service *r)
{
	char	*why;

	s->state = SVC_FAILED;
	xasprintf(&why, "requires %s, which failed", r->entry->id);
	free(s->last_error);
	s->last_error = why;
	log_error("service %s: not started: %s", s->entry->id, why);
	service_uncount(s);
}

/*
 * Start every waiting service whose requirements are up, and fail those
 * whose requirement failed; a failure can fail the next in the chain, so
 * go round until nothing changes.
 */
static void
service_start_waiting(void)
{
	struct service	*s, *r;
	size_t		 i;
	int		 changed;

	if (sup.stopping)
		return;
	do {
		changed = 0;
		for (i = 0; i < sup.nservices; i++) {
			s = &sup.services[i];
			if (s->state != SVC_WAITING)
				continue;
			if ((r = service_blocker(s)) == NULL)
				service_spawn(s);
			else if (r->state == SVC_FAILED) {
				service_give_up(s, r);
				changed = 1;
			}
		}
	} while (changed);
}

/* s waits for its requirements (logged: it may wait a long time). */
static void
service_wait(struct service *s)
{
	struct service	*r;

	s->state = SVC_WAITING;
	if ((r = service_blocker(s)) != NULL)
		log_info("service %s: waiting for %s (%s)", s->entry->id,
		    r->entry->id, service_state(r));
	service_start_waiting();
}

static void
service_spawn(struct service *s)
{
	struct wbuf	 args = { 0 };
	char		*err = NULL;

	if (s->slot == 0)
		s->slot = actor_next_id();
	args_encode_strings(&args, s->entry->input, s->entry->ninput);
	s->actor = spawn_actor(s->process, s->host, 0, args.data, args.len,
	    &err);
	wbuf_free(&args);
	s->state = SVC_STARTING;
	if (s->actor == NULL) {
		log_error("service %s: %s", s->entry->id, err);
		service_set_error(s, err, strlen(err));
		free(err);
		service_exited(s, NULL);
		return;
	}
	s->actor->service = s;
	log_info("service %s started: %s %s", s->entry->id, s->actor->pid,
	    s->process->id);
}

/*
 * Start every auto_start service, in the order the app lists them; one
 * that requires others waits for them (its slot id is taken now, so ids
 * follow the listing whatever the start order).
 */
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
		s->counted = 1;
		sup.starting++;
		s->state = SVC_WAITING;
		if (service_blocker(s) == NULL)
			service_spawn(s);
	}
	for (i = 0; i < sup.nservices; i++)
		if (sup.services[i].state == SVC_WAITING)
			service_wait(&sup.services[i]);
}

void
service_ready(struct service *s)
{
	if (s->state == SVC_STARTING)
		s->state = SVC_RUNNING;
	service_uncount(s);
	service_start_waiting();
}

/* A failure: back off and try again, or give up past max_attempts. */
static void
service_failed(struct service *s, struct actor *a)
{
	const struct lifecycle *lc = &s->entry->lc;
	int64_t		 delay;
	double		 u;

	if (a != NULL &&
	    (int64_t)(ev_now() - a->started) >= lc->stable_threshold)
		s->attempts = 0;
	s->attempts++;
	if (lc->restart.max_attempts > 0 &&
	    s->attempts > lc->restart.max_attempts) {
		s->state = SVC_FAILED;
		log_error("service %s: failed after %lld attempts; last error: "
		    "%s", s->entry->id, (long long)lc->restart.max_attempts,
		    s->last_error);
		service_start_waiting();
		return;
	}
	u = (double)arc4random_uniform(2001) / 1000.0 - 1.0;
	delay = backoff_delay(&lc->restart, s->attempts, u);
	s->state = SVC_RESTARTING;
	log_warnx("service %s: failed (%s); restarting in %.3f s "
	    "(attempt %lld)", s->entry->id, s->last_error,
	    (double)delay / 1e9, (long long)s->attempts);
	ev_timer_start(&sup.loop, &s->timer, (uint64_t)delay,
	    service_timer_cb, s);
}

/* s's actor has gone after a stop; start it again if restart asked. */
static void
service_stopped(struct service *s)
{
	s->state = SVC_STOPPED;
	s->stop_wanted = 0;
	if (s->start_again && !sup.stopping) {
		s->start_again = 0;
		(void)service_start(s, NULL);
	}
}

/* a ended (NULL: it could not even start). */
void
service_exited(struct service *s, struct actor *a)
{
	s->actor = NULL;
	ev_timer_stop(&sup.loop, &s->timer);
	service_uncount(s);
	if (sup.stopping || s->stop_wanted) {
		log_info("service %s: stopped", s->entry->id);
		service_stopped(s);
		service_stop_step();
		return;
	}
	if (a != NULL && a->result.status == PROTO_OK) {
		s->state = SVC_DONE;
		log_info("service %s: exited normally", s->entry->id);
		service_start_waiting();
		return;
	}
	if (a != NULL)
		service_set_error(s, (const char *)a->result.body.data,
		    a->result.body.len);
	service_failed(s, a);
}

static void
service_timer_cb(struct ev_loop *loop, struct ev_timer *t)
{
	struct service	*s = t->arg;

	if (s->state == SVC_STOPPING && s->actor != NULL) {
		log_warnx("service %s: stop timeout; killing it", s->entry->id);
		reap_kill(s->actor, NULL);
	} else if (s->state == SVC_RESTARTING && !sup.stopping) {
		s->restarts++;
		if (service_blocker(s) == NULL)
			service_spawn(s);
		else
			service_wait(s);
	}
}

/*
 * CANCEL the service's actor; SIGKILL after its stop timeout, which
 * --stop-timeout (or -x, whose default is 1s) sets for every service.
 */
static void
service_cancel(struct service *s)
{
	const char	*reason = "service stopping";
	int64_t		 timeout = s->entry->lc.stop_timeout;

	if (s->actor == NULL || s->state == SVC_STOPPING)
		return;
	if (sup.main_entry != NULL || sup.stop_timeout_set)
		timeout = sup.stop_timeout;
	s->state = SVC_STOPPING;
	log_info("service %s: stopping", s->entry->id);
	monitor_event(s->actor, EVENT_CANCEL, "{node:control|0x00000}",
	    CANCEL_SHUTDOWN, reason, strlen(reason));
	ev_timer_start(&sup.loop, &s->timer, (uint64_t)timeout,
	    service_timer_cb, s);
}

/* Whether a live service requires s (so s must stay up for now). */
static int
service_needed(const struct service *s)
{
	size_t	 i, j;

	for (i = 0; i < sup.nservices; i++) {
		if (sup.services[i].actor == NULL)
			continue;
		for (j = 0; j < sup.services[i].nrequires; j++)
			if (sup.services[i].requires[j] == s)
				return 1;
	}
	return 0;
}

/*
 * Carry out the stops asked for: one with no actor is stopped now, one
 * that no live service requires gets its CANCEL; each exit calls this
 * again for the next ones, so the order is the reverse of the start.
 */
static void
service_stop_step(void)
{
	struct service	*s;
	size_t		 i;

	for (i = 0; i < sup.nservices; i++) {
		s = &sup.services[i];
		if (!s->stop_wanted)
			continue;
		if (s->actor == NULL) {
			ev_timer_stop(&sup.loop, &s->timer);
			service_uncount(s);
			service_stopped(s);
		} else if (!service_needed(s))
			service_cancel(s);
	}
}

/*
 * Ask s, and every active service that requires it, to stop; again: to
 * start once stopped (the last of stop and restart wins).  requires has
 * no cycle, so the walk ends.
 */
static void
service_want_stop(struct service *s, int again)
{
	size_t	 i, j;

	s->stop_wanted = 1;
	s->start_again = again;
	for (i = 0; i < sup.nservices; i++) {
		if (sup.services[i].state == SVC_STOPPED ||
		    sup.services[i].state == SVC_DONE ||
		    sup.services[i].state == SVC_FAILED)
			continue;
		for (j = 0; j < sup.services[i].nrequires; j++)
			if (sup.services[i].requires[j] == s)
				service_want_stop(&sup.services[i], again);
	}
}

/* Shutdown: no more restarts, and every service stops in reverse order. */
void
service_stop_all(void)
{
	size_t	 i;

	for (i = 0; i < sup.nservices; i++)
		sup.services[i].stop_wanted = 1;
	service_stop_step();
}

/* osactor start: a stopped, done or failed service runs again. */
int
service_start(struct service *s, char **err)
{
	if (s->actor != NULL || s->state == SVC_RESTARTING ||
	    s->state == SVC_WAITING) {
		if (err != NULL)
			xasprintf(err, "service %s is %s", s->entry->id,
			    service_state(s));
		return -1;
	}
	s->attempts = 0;
	service_wait(s);
	return 0;
}

/*
 * osactor stop: the services that require s first, then s, each with
 * CANCEL and SIGKILL after its stop timeout; none is restarted.
 */
int
service_stop(struct service *s, char **err)
{
	if (s->state == SVC_STOPPED && !s->stop_wanted) {
		if (err != NULL)
			xasprintf(err, "service %s is not running",
			    s->entry->id);
		return -1;
	}
	service_want_stop(s, 0);
	service_stop_step();
	return 0;
}

/*
 * osactor restart: stop s and the services that require it, then start
 * each again once it has exited; the dependents wait for s to be up.
 */
int
service_restart(struct service *s, char **err)
{
	if (s->actor == NULL && !s->stop_wanted)
		return service_start(s, err);
	service_want_stop(s, 1);
	service_stop_step();
	return 0;
}
