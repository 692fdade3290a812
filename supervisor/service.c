/*
 * service.c: process.service entries (API.md section 7).  Each takes one
 * id on node:control for its supervising slot, then runs its actor once
 * every service it requires is running; a failed actor is restarted after
 * an exponential back-off, a normal exit ends the service.  Restarts never
 * spin: even an actor that fails at once waits its full delay.  At
 * shutdown services stop in reverse dependency order, each given its
 * stop_timeout after CANCEL before it is killed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "osactor.h"
#include "proto.h"
#include "xmalloc.h"

static void	service_timer_cb(struct ev_loop *, struct ev_timer *);
static void	service_spawn(struct service *);

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

static int
service_requirements_up(const struct service *s)
{
	size_t	 i;

	for (i = 0; i < s->nrequires; i++)
		if (s->requires[i]->state != SVC_RUNNING)
			return 0;
	return 1;
}

/* Start every waiting service whose requirements are now running. */
static void
service_start_waiting(void)
{
	size_t	 i;

	for (i = 0; i < sup.nservices; i++)
		if (sup.services[i].state == SVC_WAITING && !sup.stopping &&
		    service_requirements_up(&sup.services[i]))
			service_spawn(&sup.services[i]);
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
	if (s->actor == NULL) {
		log_error("service %s: %s", s->entry->id, err);
		free(err);
		s->state = SVC_STARTING;
		service_exited(s, NULL);
		return;
	}
	s->state = SVC_STARTING;
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
		if (service_requirements_up(s))
			service_spawn(s);
	}
}

void
service_ready(struct service *s)
{
	if (s->state == SVC_STARTING)
		s->state = SVC_RUNNING;
	service_uncount(s);
	service_start_waiting();
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

/* A failure: back off and try again, or give up past max_attempts. */
static void
service_failed(struct service *s, struct actor *a)
{
	const struct lifecycle *lc = &s->entry->lc;
	int64_t		 delay;

	if (a != NULL &&
	    (int64_t)(ev_now() - a->started) >= lc->stable_threshold)
		s->attempts = 0;
	s->attempts++;
	if (lc->restart.max_attempts > 0 &&
	    s->attempts > lc->restart.max_attempts) {
		s->state = SVC_FAILED;
		log_error("service %s: failed after %lld attempts",
		    s->entry->id, (long long)lc->restart.max_attempts);
		return;
	}
	delay = service_delay(&lc->restart, s->attempts);
	s->state = SVC_RESTARTING;
	log_warnx("service %s: failed (%.*s); restarting in %.3f s "
	    "(attempt %lld)", s->entry->id, a != NULL ?
	    (int)a->result.body.len : 14, a != NULL ?
	    (const char *)a->result.body.data : "could not start",
	    (double)delay / 1e9, (long long)s->attempts);
	ev_timer_start(&sup.loop, &s->timer, (uint64_t)delay,
	    service_timer_cb, s);
}

/* a ended (NULL: it could not even start). */
void
service_exited(struct service *s, struct actor *a)
{
	int	 was = s->state;

	s->actor = NULL;
	ev_timer_stop(&sup.loop, &s->timer);
	service_uncount(s);
	if (sup.stopping) {
		s->state = SVC_STOPPED;
		log_info("service %s: stopped", s->entry->id);
		service_stop_all();
		return;
	}
	if (was == SVC_STOPPING) {
		s->state = SVC_STOPPED;
		log_info("service %s: stopped", s->entry->id);
		if (s->start_again) {
			s->start_again = 0;
			(void)service_start(s, NULL);
		}
		return;
	}
	if (a != NULL && a->result.status == PROTO_OK) {
		s->state = SVC_DONE;
		log_info("service %s: exited normally", s->entry->id);
		return;
	}
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
		service_spawn(s);
	}
}

/* CANCEL the service's actor; SIGKILL after its stop timeout. */
static void
service_cancel(struct service *s)
{
	const char	*reason = "service stopping";
	int64_t		 timeout = s->entry->lc.stop_timeout;

	if (s->actor == NULL || s->state == SVC_STOPPING)
		return;
	/* Under -x the whole app has --stop-timeout. */
	if (sup.main_entry != NULL)
		timeout = sup.stop_timeout;
	s->state = SVC_STOPPING;
	monitor_event(s->actor, EVENT_CANCEL, "{node:control|0x00000}",
	    CANCEL_SHUTDOWN, reason, strlen(reason));
	ev_timer_start(&sup.loop, &s->timer, (uint64_t)timeout,
	    service_timer_cb, s);
}

/* Whether a running service requires s (so s must stay up for now). */
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
 * Shutdown: no more restarts, and every service that no live service
 * requires is stopped; each exit calls this again for the next ones.
 */
void
service_stop_all(void)
{
	struct service	*s;
	size_t		 i;

	for (i = 0; i < sup.nservices; i++) {
		s = &sup.services[i];
		if (s->actor == NULL) {
			ev_timer_stop(&sup.loop, &s->timer);
			s->state = SVC_STOPPED;
		} else if (s->state != SVC_STOPPING && !service_needed(s))
			service_cancel(s);
	}
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
	s->state = SVC_WAITING;
	if (service_requirements_up(s))
		service_spawn(s);
	return 0;
}

/* osactor stop: CANCEL, then SIGKILL after stop_timeout; no restart. */
int
service_stop(struct service *s, char **err)
{
	s->start_again = 0;
	if (s->state == SVC_STOPPING)
		return 0;	/* its kill timer is already running */
	ev_timer_stop(&sup.loop, &s->timer);
	if (s->actor == NULL) {
		if (s->state == SVC_STOPPED) {
			if (err != NULL)
				xasprintf(err, "service %s is not running",
				    s->entry->id);
			return -1;
		}
		s->state = SVC_STOPPED;
		return 0;
	}
	service_cancel(s);
	return 0;
}

/* osactor restart: stop it, then start it once it has exited. */
int
service_restart(struct service *s, char **err)
{
	if (s->actor == NULL)
		return service_start(s, err);
	if (service_stop(s, err) == -1)
		return -1;
	s->start_again = 1;
	return 0;
}
