/*
 * spare.c: actor processes made ahead of need.  The zygote clones each
 * spare (FRAME_Z_SPARE) with one end of a fresh actor socket, on which
 * it waits, titled "osactor: spare APP", in its own session already.  A
 * spawn takes a spare whose OS pid is known: the spec (a FRAME_Z_SPAWN,
 * as the zygote would get) goes first on the socket, START after it, and
 * the spare becomes that actor with no fork and no zygote on the way; the
 * actor has its OS pid at once.  The pool is filled again at the end of
 * a turn that took it down to SPARES_LOW, so a spare that dies unused is
 * replaced at a later spawn, never in a loop.  Spares are our children,
 * reaped like any other; they outlive a zygote that dies, since they
 * need it no more.
 *
 * Unless --no-sandbox, spares install the actor's seccomp filter while
 * they wait, so they serve only actors of sandboxed hosts; the others are
 * cloned by the zygote as they come.
 */
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "osactor.h"
#include "proto.h"

#define SPARES_MAX	4
#define SPARES_LOW	2	/* fill up when no more are left: the zygote
				 * then wakes us once for the batch */

struct spare {
	uint32_t	 token;		/* the ref of its FRAME_Z_SPARE */
	pid_t		 pid;		/* 0 until the zygote answers */
	int		 sock;		/* our end of its actor socket */
};

static struct spare	 pool[SPARES_MAX];
static size_t		 npool;
static uint32_t		 last_token;
static int		 refill = 1;	/* taken from since the last fill */

/* The START flags a spare is made for: START_F_SANDBOX or none. */
static uint8_t
spare_flags(void)
{
	return sup.no_sandbox ? 0 : START_F_SANDBOX;
}

/* Out of the pool, which stays oldest first. */
static void
spare_remove(size_t i)
{
	npool--;
	memmove(&pool[i], &pool[i + 1], (npool - i) * sizeof(pool[0]));
}

static void
spare_drop(size_t i)
{
	close(pool[i].sock);
	spare_remove(i);
}

/* Ask the zygote for what the pool lacks, if it was taken from. */
void
spare_fill(void)
{
	int	 sv[2];

	if (!refill || npool > SPARES_LOW)
		return;
	refill = 0;
	while (npool < SPARES_MAX) {
		if (spawn_socketpair(sv) == -1)
			return;
		if (++last_token == 0)
			last_token = 1;
		if (zygote_ask_spare(sv[1], last_token, spare_flags()) == -1) {
			close(sv[0]);
			close(sv[1]);
			return;
		}
		close(sv[1]);
		pool[npool++] = (struct spare){ last_token, 0, sv[0] };
	}
}

/* The zygote's answer for token: the spare's OS pid, or 0 and errno e. */
void
spare_answer(uint32_t token, pid_t pid, int e)
{
	size_t	 i;

	for (i = 0; i < npool; i++)
		if (pool[i].token == token && pool[i].pid == 0)
			break;
	if (i == npool)
		return;		/* dropped meanwhile: it sees EOF and exits */
	if (pid == 0) {
		log_warnx("spare: clone: %s", strerror(e));
		spare_drop(i);
		return;
	}
	pool[i].pid = pid;
}

/*
 * A spare for a, started with flags: our end of its socket, with its
 * spec queued in a->out ahead of anything else; -1 when none is ready
 * or the actor's sandbox is not the spares'.  The oldest is taken: the
 * newest may still be preparing (its filter, its heap), and an actor
 * given to it would wait for that.
 */
int
spare_take(struct actor *a, uint8_t flags)
{
	size_t	 i;
	int	 sock;

	if ((flags & START_F_SANDBOX) != spare_flags())
		return -1;
	refill = 1;
	for (i = 0; i < npool; i++)
		if (pool[i].pid > 0)
			break;
	if (i == npool)
		return -1;
	sock = pool[i].sock;
	actor_set_ospid(a, pool[i].pid);
	log_debug("spawned %s %s as OS pid %d (spare)", a->entry->id, a->pid,
	    (int)pool[i].pid);
	spare_remove(i);
	zygote_put_spawn(&a->out, a, flags);
	return sock;
}

/* 1 if pid was a spare, now gone from the pool. */
int
spare_reaped(pid_t pid)
{
	size_t	 i;

	for (i = 0; i < npool; i++)
		if (pool[i].pid == pid) {
			log_debug("spare OS pid %d ended unused", (int)pid);
			spare_drop(i);
			return 1;
		}
	return 0;
}

/* The zygote is gone: the spares it had not answered for go too. */
void
spare_forget_asked(void)
{
	size_t	 i = 0;

	while (i < npool)
		if (pool[i].pid == 0)
			spare_drop(i);
		else
			i++;
	refill = 1;
}

/* At exit: none outlives osactor. */
void
spare_stop(void)
{
	pid_t	 pid;

	while (npool > 0) {
		pid = pool[0].pid;
		spare_drop(0);
		if (pid > 0 && kill(pid, SIGKILL) == 0)
			while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
				;
	}
}
