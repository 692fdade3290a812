/*
 * zygote_test.c: the supervisor's side of a zygote spawn, where the OS
 * pid arrives after the caller has its actor: a child reaped before its
 * pid is known still ends its actor, a kill asked for meanwhile happens
 * once the pid is known, and a failed clone ends the actor with why.
 * The zygote's environment is ours with LD_BIND_NOW=1.
 */
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "osactor.h"
#include "proto.h"
#include "unit.h"

struct sup sup;

static char		 host_id[] = "t:procs", proc_id[] = "t:worker";
static struct entry	 host = { .id = host_id, .kind = ENTRY_PROCESS_HOST };
static struct entry	 proc = { .id = proc_id, .kind = ENTRY_PROCESS_LUA };

static struct actor *
spawning(void)
{
	struct actor	*a = actor_new(&proc, &host);

	zygote_expect(a);
	return a;
}

/* The SIGCHLD is read before the zygote's answer: the exit is kept. */
static void
test_reaped_before_answer(void)
{
	struct actor	*a = spawning();

	CHECK(zygote_reaped(4242, W_EXITCODE(3, 0)) == 1);
	CHECK(a->state == ACTOR_RUNNING);
	zygote_answer(a, 4242, 0);
	CHECK(a->state == ACTOR_DEAD);
	CHECK(WIFEXITED(a->wstatus) && WEXITSTATUS(a->wstatus) == 3);
	/* Nobody waits now: an unknown child is no actor's. */
	CHECK(zygote_reaped(4243, 0) == 0);
	actor_free_dead();
}

static void
test_answer_before_reap(void)
{
	struct actor	*a = spawning();

	zygote_answer(a, 4244, 0);
	CHECK(a->state == ACTOR_RUNNING && !a->spawning);
	CHECK(actor_find_ospid(4244) == a);
	hmap_del(&sup.ospids, &a->ospid, sizeof(a->ospid));
	reap_late(a, 4244, 0);
	CHECK(a->state == ACTOR_DEAD);
	actor_free_dead();
}

/* A kill while the pid is on its way lands on the process. */
static void
test_kill_while_spawning(void)
{
	struct actor	*a = spawning();
	pid_t		 child;
	int		 st = 0;

	if ((child = fork()) == 0) {
		alarm(10);	/* not killed: the check fails, not hangs */
		pause();
		_exit(0);
	}
	CHECK(child > 0);
	reap_kill(a, "process terminated");
	zygote_answer(a, child, 0);
	CHECK(waitpid(child, &st, 0) == child);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	hmap_del(&sup.ospids, &a->ospid, sizeof(a->ospid));
	reap_late(a, child, st);
	CHECK(a->state == ACTOR_DEAD);
	CHECK(strstr((char *)a->result.body.data, "terminated") != NULL);
	actor_free_dead();
}

static void
test_clone_failed(void)
{
	struct actor	*a = spawning();

	zygote_answer(a, 0, EAGAIN);
	CHECK(a->state == ACTOR_DEAD);
	CHECK(a->result.status == PROTO_ERROR);
	CHECK(a->result.body.len > 0 && memmem(a->result.body.data,
	    a->result.body.len, "clone", 5) != NULL);
	actor_free_dead();
}

static int
count(char **env, const char *s)
{
	int	 n = 0;

	for (; *env != NULL; env++)
		n += strcmp(*env, s) == 0;
	return n;
}

static void
test_env(void)
{
	char	 a[] = "A=1", b[] = "LD_BIND_NOW=", c[] = "C=3";
	char	*none[] = { a, c, NULL }, *some[] = { a, b, c, NULL };
	char	**env;

	env = zygote_env(none);
	CHECK(count(env, "A=1") == 1 && count(env, "C=3") == 1);
	CHECK(count(env, "LD_BIND_NOW=1") == 1 && env[3] == NULL);
	free(env);
	env = zygote_env(some);
	CHECK(strcmp(env[0], "A=1") == 0 && strcmp(env[2], "C=3") == 0);
	CHECK(strcmp(env[1], "LD_BIND_NOW=1") == 0 && env[3] == NULL);
	free(env);
}

int
main(void)
{
	RUN(test_reaped_before_answer);
	RUN(test_answer_before_reap);
	RUN(test_kill_while_spawning);
	RUN(test_clone_failed);
	RUN(test_env);
	UNIT_EXIT();
}
