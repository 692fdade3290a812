/*
 * run.c: one app's life: signals through a signalfd, services started
 * before the -x actor (which waits until each has run to its first wait,
 * so a service's name is registered before anyone looks it up), then the
 * loop, then shutdown: CANCEL to every actor, SIGKILL after the stop
 * timeout, and every child reaped before osactor exits.
 */
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "osactor.h"
#include "proto.h"
#include "xmalloc.h"

#define START_WAIT_NS	(5ULL * 1000000000ULL)

static void
run_before_sleep(struct ev_loop *loop)
{
	router_flush_all();
	zygote_flush();		/* after the replies: see zygote.c */
	actor_free_dead();
	if (sup.stopping && sup.nlive == 0)
		loop->stop = 1;
}

static void
run_kill_all(const char *why)
{
	struct hmap_slot	*s;
	size_t			 i;

	for (i = 0; i < sup.actors.cap; i++) {
		s = &sup.actors.slots[i];
		if (s->key != NULL)
			reap_kill(s->val, why);
	}
}

/*
 * Actors that are not services get the app's stop timeout.  Each one
 * killed is logged (with -v, like its spawn and exit), so that a kill can
 * be told from an actor that returned on its CANCEL.
 */
static void
run_stop_timeout(struct ev_loop *loop, struct ev_timer *t)
{
	struct hmap_slot	*s;
	struct actor		*a;
	size_t			 i;

	for (i = 0; i < sup.actors.cap; i++) {
		s = &sup.actors.slots[i];
		a = s->val;
		if (s->key == NULL || a->service != NULL ||
		    a->state != ACTOR_RUNNING)
			continue;
		log_debug("%s %s: stop timeout; killing it", a->entry->id,
		    a->pid);
		reap_kill(a, NULL);
	}
}

/* Begin shutdown; a second signal kills everything at once. */
void
run_stop(int signo)
{
	struct hmap_slot	*s;
	size_t			 i;
	const char		*reason = "service stopping";

	if (sup.stopping) {
		if (signo != 0)
			run_kill_all(NULL);
		return;
	}
	sup.stopping = 1;
	sup.signo = signo;
	/* Services go in reverse dependency order, the rest at once. */
	for (i = 0; i < sup.actors.cap; i++) {
		s = &sup.actors.slots[i];
		if (s->key != NULL &&
		    ((struct actor *)s->val)->service == NULL)
			monitor_event(s->val, EVENT_CANCEL, "{node:control|0x00000}",
			    CANCEL_SHUTDOWN, reason, strlen(reason));
	}
	service_stop_all();
	ev_timer_start(&sup.loop, &sup.stop_timer, (uint64_t)sup.stop_timeout,
	    run_stop_timeout, NULL);
}

static void
run_start_main(void)
{
	struct wbuf	 args = { 0 };
	char		*err = NULL;

	ev_timer_stop(&sup.loop, &sup.start_timer);
	args_encode_strings(&args, sup.main_args, (size_t)sup.main_nargs);
	sup.main = spawn_actor(sup.main_entry, sup.main_host, 1, args.data,
	    args.len, &err);
	wbuf_free(&args);
	if (sup.main == NULL) {
		fprintf(stderr, "osactor: %s: %s\n", sup.main_entry->id, err);
		free(err);
		sup.main_status = 1;
		sup.main_done = 1;
		run_stop(0);
	}
}

static void
run_start_wait_over(struct ev_loop *loop, struct ev_timer *t)
{
	log_warnx("services not ready after %llu s; starting %s anyway",
	    START_WAIT_NS / 1000000000ULL, sup.main_entry->id);
	run_start_main();
}

/* A service reached its first wait (a == NULL: or ended before it). */
void
run_actor_ready(struct actor *a)
{
	if (a != NULL && a->service != NULL) {
		service_ready(a->service);
		return;
	}
	if (sup.starting == 0 && sup.main_entry != NULL && sup.main == NULL &&
	    !sup.main_done && !sup.stopping)
		run_start_main();
}

static void
run_main_exited(struct actor *a)
{
	int	 st = a->wstatus;

	if (WIFEXITED(st))
		sup.main_status = WEXITSTATUS(st);
	else {
		sup.main_status = 128 + WTERMSIG(st);
		fprintf(stderr, "osactor: %s %s: %.*s\n", a->entry->id, a->pid,
		    (int)a->result.body.len, (const char *)a->result.body.data);
	}
	sup.main = NULL;
	sup.main_done = 1;
	run_stop(0);
}

void
run_actor_exited(struct actor *a)
{
	if (a->service != NULL)
		service_exited(a->service, a);
	if (a == sup.main)
		run_main_exited(a);
}

static void
run_signal_one(const struct signalfd_siginfo *si)
{
	switch (si->ssi_signo) {
	case SIGCHLD:
		reap_children();
		break;
	case SIGHUP:
		if (log_reopen() == -1)
			log_warnx("reopening the log: %s", strerror(errno));
		else
			log_info("SIGHUP: log reopened");
		break;
	case SIGINT:
	case SIGTERM:
		log_info("signal %d: stopping", (int)si->ssi_signo);
		run_stop((int)si->ssi_signo);
		break;
	default:
		break;
	}
}

static void
run_signal(struct ev_loop *loop, struct ev_io *io, uint32_t events)
{
	struct signalfd_siginfo	 si[8];
	ssize_t			 n;
	size_t			 i;

	/*
	 * All that is pending in one read: a short one took it all, so no
	 * second read only to hear EAGAIN (one SIGCHLD per actor's end).
	 */
	do {
		n = read(sup.sigfd, si, sizeof(si));
		for (i = 0; n > 0 && i < (size_t)n / sizeof(si[0]); i++)
			run_signal_one(&si[i]);
	} while (n == (ssize_t)sizeof(si) || (n == -1 && errno == EINTR));
}

static void
run_signals_init(void)
{
	sigset_t	 set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		fatal("sigprocmask");
	if ((sup.sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("signalfd");
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		fatal("signal");
	if (ev_io_add(&sup.loop, &sup.sig_io, sup.sigfd, EPOLLIN, run_signal,
	    NULL) == -1)
		fatal("epoll_ctl signalfd");
}

/* Run the app until it is done; the exit status osactor should return. */
int
run_app(void)
{
	int	 rv;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		fatal("prctl(PR_SET_CHILD_SUBREAPER)");
	if (ev_init(&sup.loop) == -1)
		fatal("epoll_create1");
	sup.loop.before_sleep = run_before_sleep;
	run_signals_init();
	service_init();
	if ((rv = control_init()) != 0) {
		if (rv == 1)
			fprintf(stderr, "osactor: an app is already running in "
			    "%s\n", sup.app->dir);
		return 1;
	}
	zygote_start();
	service_start_all();
	if (sup.main_entry != NULL) {
		if (sup.starting > 0)
			ev_timer_start(&sup.loop, &sup.start_timer,
			    START_WAIT_NS, run_start_wait_over, NULL);
		run_actor_ready(NULL);
	}
	if (ev_run(&sup.loop) == -1)
		fatal("epoll_wait");
	zygote_stop();
	reap_children();
	control_close();
	ev_close(&sup.loop);
	close(sup.sigfd);
	if (sup.main_entry == NULL)
		return 0;
	return sup.signo != 0 ? 128 + sup.signo : sup.main_status;
}
