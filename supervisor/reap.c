/*
 * reap.c: child exits.  SIGCHLD arrives through the signalfd; every
 * child that has exited is reaped with waitpid(-1, WNOHANG) in a loop
 * (signals coalesce), known or not: as a subreaper we also inherit the
 * actors' orphans.  An actor's socket is read to its end before its EXIT
 * goes out, so its last messages arrive first.
 */
#include <sys/wait.h>

#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "osactor.h"
#include "proto.h"
#include "xmalloc.h"

/* Kill a (not yet reaped, so its OS pid cannot have been reused). */
void
reap_kill(struct actor *a, const char *reason)
{
	if (a->state != ACTOR_RUNNING)
		return;
	if (reason != NULL && a->result.reason == NULL)
		a->result.reason = xstrdup(reason);
	if (a->spawning) {		/* killed once its pid is known */
		a->kill_asked = 1;
		return;
	}
	if (kill(a->ospid, SIGKILL) == -1 && errno != ESRCH)
		log_warnx("kill %s (OS pid %d): %s", a->pid, (int)a->ospid,
		    strerror(errno));
}

static void
result_error(struct actor *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
result_error(struct actor *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	int	 n;

	va_start(ap, fmt);
	if ((n = vasprintf(&msg, fmt, ap)) == -1)
		fatal("vasprintf");
	va_end(ap);
	a->result.status = PROTO_ERROR;
	a->result.body.len = a->result.body.off = 0;
	wbuf_put(&a->result.body, msg, (size_t)n);
	free(msg);
}

/*
 * An error body longer than REASON_MAX_LEN is cut to that, and says so at
 * its end, so a monitor can tell a cut message from a whole one.  The
 * error object that may follow the message's NUL goes too: cut, its
 * value bytes would not decode.
 */
static void
reap_cut_reason(struct wbuf *b)
{
	char		 mark[64];
	size_t		 n = wbuf_pending(b), keep;
	const uint8_t	*nul;
	int		 k;

	if (n <= REASON_MAX_LEN)
		return;
	k = snprintf(mark, sizeof(mark), " [cut from %zu bytes]", n);
	if (k < 0 || (size_t)k >= sizeof(mark))
		fatalx("reap_cut_reason: snprintf");
	keep = REASON_MAX_LEN - (size_t)k;
	if ((nul = memchr(b->data + b->off, '\0', keep)) != NULL)
		keep = (size_t)(nul - (b->data + b->off));
	b->len = b->off + keep;
	wbuf_put(b, mark, (size_t)k);
}

/* The final result: what the actor said, or what the supervisor saw. */
static void
reap_result(struct actor *a, int status)
{
	struct actor_result *r = &a->result;

	if (r->reason == NULL && wbuf_pending(&a->in) > 0)
		r->reason = xstrdup("protocol error: truncated frame at exit");
	if (r->reason != NULL)
		result_error(a, "%s", r->reason);
	else if (r->have)
		;
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
		result_error(a, "cpu time limit exceeded (SIGXCPU)");
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS &&
	    a->host->sandbox)	/* the seccomp filter's kill */
		result_error(a, "sandbox violation (killed by signal %d, "
		    "SIGSYS)", SIGSYS);
	else if (WIFSIGNALED(status))
		result_error(a, "killed by signal %d", WTERMSIG(status));
	else
		result_error(a, "exited with status %d without a result",
		    WEXITSTATUS(status));
	if (r->status == PROTO_ERROR)
		reap_cut_reason(&r->body);
}

/*
 * Messages routed to a that it never took: still queued here, in its
 * socket, or in its shim's mailboxes.  Its last TAKEN has been read by
 * now (router_drain).  They are dead letters, and an operator is told.
 */
static void
reap_dead_letters(struct actor *a)
{
	uint64_t	 n;

	if (a->delivered <= a->taken)
		return;
	n = a->delivered - a->taken;
	sup.dead_letters += n;
	log_warnx("%s %s: ended with %llu message%s not taken", a->entry->id,
	    a->pid, (unsigned long long)n, n == 1 ? "" : "s");
}

static void
reap_actor(struct actor *a, int status)
{
	a->wstatus = status;
	router_drain(a);
	reap_dead_letters(a);
	reap_result(a, status);
	log_debug("%s %s exited (%s)", a->entry->id, a->pid,
	    a->result.status == PROTO_OK ? "normal" : "error");
	monitor_notify(a);
	run_actor_exited(a);
	a->ospid = -a->ospid;	/* reaped: never signal that number again */
	actor_bury(a);
}

/* An actor reaped before the zygote said its pid was pid. */
void
reap_late(struct actor *a, pid_t pid, int status)
{
	a->ospid = pid;
	reap_actor(a, status);
}

/* An actor that never ran (or whose process is lost): EXIT with why. */
void
reap_lost(struct actor *a, const char *why)
{
	if (a->result.reason == NULL)
		a->result.reason = xstrdup(why);
	a->ospid = 0;
	reap_actor(a, W_EXITCODE(127, 0));
}

void
reap_children(void)
{
	struct actor	*a;
	pid_t		 pid;
	int		 status;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == -1 && errno == EINTR)
			continue;
		if (pid <= 0)
			return;
		if ((a = actor_find_ospid(pid)) == NULL) {
			if (!zygote_reaped(pid, status))
				log_debug("reaped OS pid %d (not an actor)",
				    (int)pid);
			continue;
		}
		hmap_del(&sup.ospids, &a->ospid, sizeof(a->ospid));
		reap_actor(a, status);
	}
}
