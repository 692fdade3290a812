/*
 * spawn.c: start an actor: socketpair, fork, exec of osactor-shim with
 * the socket on fd 3, then the START frame that tells the shim who it is.
 * The child never runs supervisor code past the exec: no inherited heap.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "config.h"
#include "log.h"
#include "osactor.h"
#include "proto.h"
#include "xmalloc.h"

/* Tell the parent why exec failed, then leave without touching its state. */
static void __attribute__((noreturn))
child_fail(int errfd)
{
	int	 e = errno;

	(void)!write(errfd, &e, sizeof(e));
	_exit(127);
}

static void __attribute__((noreturn))
child_exec(struct child_spec *cs, char *const argv[], char *const envp[])
{
	if (child_setup(cs) == -1)
		child_fail(cs->keep);
	execve(sup.shim_path, argv, envp != NULL ? envp : environ);
	child_fail(cs->keep);
}

/* A host's limits as child_setup takes them. */
void
spawn_limits(const struct limits *l, int64_t *v)
{
	v[0] = l->memory;
	v[1] = l->cpu_time;
	v[2] = l->open_files;
	v[3] = l->processes;
	v[4] = l->core;
}

/*
 * Fork and exec the shim with argv and envp (NULL: ours), sock on fd 3,
 * under limits l (NULL: ours, as for the zygote, whose actors must be
 * able to raise theirs): the pid, or -1 with errno (the child's exec
 * errno too).
 */
pid_t
spawn_process(int sock, int terminal, const struct limits *l,
    char *const argv[], char *const envp[])
{
	struct child_spec cs = { sock, -1, getpid(), terminal, { 0 }, 0, -1 };
	int		 ep[2], childerr;
	pid_t		 pid;
	ssize_t		 n;
	size_t		 i;

	for (i = 0; i < CHILD_NLIMITS; i++)
		cs.limits[i] = CHILD_LIMIT_KEEP;
	if (l != NULL)
		spawn_limits(l, cs.limits);
	if (pipe2(ep, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(ep[0]);
		close(ep[1]);
		return -1;
	}
	if (pid == 0) {
		cs.keep = ep[1];
		child_exec(&cs, argv, envp);
	}
	close(ep[1]);
	/* EOF means the exec happened; an errno means it did not. */
	do
		n = read(ep[0], &childerr, sizeof(childerr));
	while (n == -1 && errno == EINTR);
	close(ep[0]);
	if (n == sizeof(childerr)) {
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		errno = childerr;
		return -1;
	}
	return pid;
}

const char *
spawn_chunk_name(const struct entry *e, char **owned)
{
	size_t	 n = strlen(sup.app->dir);

	if (e->source_path == NULL) {
		xasprintf(owned, "=[%s]", e->id);
		return *owned;
	}
	if (strncmp(e->source_path, sup.app->dir, n) == 0 &&
	    e->source_path[n] == '/')
		xasprintf(owned, "@%s", e->source_path + n + 1);
	else
		xasprintf(owned, "@%s", e->source_path);
	return *owned;
}

/*
 * The library.lua entries e imports, and theirs, each once: every one an
 * actor may require, in a list of at most app-size entries.
 */
static size_t
collect_libs(const struct entry *e, struct entry **libs, size_t n)
{
	struct entry	*lib;
	size_t		 i, j;

	for (i = 0; i < e->nimports; i++) {
		if ((lib = config_find(sup.app, e->import_id[i])) == NULL)
			continue;
		for (j = 0; j < n && libs[j] != lib; j++)
			;
		if (j < n)
			continue;
		libs[n++] = lib;
		n = collect_libs(lib, libs, n);
	}
	return n;
}

/* An entry's modules: list and imports: map, each entry kept to its own. */
static void
put_scope(struct wbuf *b, const struct entry *e)
{
	size_t	 i;

	wbuf_put_u32(b, (uint32_t)e->nmodules);
	for (i = 0; i < e->nmodules; i++)
		wbuf_put_cstr(b, e->modules[i]);
	wbuf_put_u32(b, (uint32_t)e->nimports);
	for (i = 0; i < e->nimports; i++) {
		wbuf_put_cstr(b, e->import_alias[i]);
		wbuf_put_cstr(b, e->import_id[i]);
	}
}

/* The entry's scope, then every library it may reach with its own. */
static void
put_imports(struct wbuf *b, const struct entry *e)
{
	struct entry	**libs = xcalloc(sup.app->nentries + 1, sizeof(*libs));
	size_t		  nlibs, i;
	char		 *chunk;

	put_scope(b, e);
	nlibs = collect_libs(e, libs, 0);
	wbuf_put_u32(b, (uint32_t)nlibs);
	for (i = 0; i < nlibs; i++) {
		wbuf_put_cstr(b, libs[i]->id);
		wbuf_put_cstr(b, libs[i]->source_path ? libs[i]->source_path : "");
		wbuf_put_cstr(b, libs[i]->source_code ? libs[i]->source_code : "");
		wbuf_put_cstr(b, spawn_chunk_name(libs[i], &chunk));
		free(chunk);
		put_scope(b, libs[i]);
	}
	free(libs);
}

/*
 * The live actors whose pids are in a's arguments, each now watching a
 * as its sender (monitor.c), so that a's first send to one (a worker's
 * reply to the pid it was given, say) is pipelined like the later ones:
 * u32 count, that many ids.
 */
static void
put_peers(struct wbuf *b, struct actor *a, const void *args, size_t argslen)
{
	uint32_t	 ids[START_PEERS_MAX];
	size_t		 n, i, k = 0;
	struct actor	*to;

	n = args_find_pids(args, argslen, ids, START_PEERS_MAX);
	for (i = 0; i < n; i++)
		if ((to = actor_find(ids[i])) != NULL && to != a &&
		    to->state == ACTOR_RUNNING && monitor_watch_sender(to, a->id))
			ids[k++] = ids[i];
	wbuf_put_u32(b, (uint32_t)k);
	for (i = 0; i < k; i++)
		wbuf_put_u32(b, ids[i]);
}

static void
spawn_send_start(struct actor *a, uint8_t flags, const void *args,
    size_t argslen)
{
	struct entry	*e = a->entry;
	struct wbuf	*b = &a->out;
	char		*chunk;
	size_t		 start;

	start = frame_begin(b, FRAME_START, 0, a->id, 0);
	wbuf_put_u32(b, a->id);
	wbuf_put_cstr(b, a->pid);
	wbuf_put_cstr(b, e->id);
	wbuf_put_cstr(b, a->host->id);
	wbuf_put_cstr(b, e->source_path ? e->source_path : "");
	wbuf_put_cstr(b, e->source_code ? e->source_code : "");
	wbuf_put_cstr(b, spawn_chunk_name(e, &chunk));
	free(chunk);
	wbuf_put_cstr(b, e->method ? e->method : "main");
	/* A terminal host with hide_logs keeps its actors' logs off. */
	wbuf_put_u8(b, a->host->hide_logs ? LOG_OFF : (uint8_t)sup.log_level);
	wbuf_put_u8(b, flags);
	put_imports(b, e);
	put_peers(b, a, args, argslen);
	wbuf_put(b, args, argslen);
	if (frame_finish(b, start) == -1)
		fatalx("START frame too large for %s", a->pid);
	router_queue(a);
}

/* Exec a shim for a: the old way, and the way while the zygote is down. */
int
spawn_exec(struct actor *a, int sock, int terminal)
{
	char	 arg0[] = "osactor-shim";
	char	*argv[] = { arg0, NULL };
	pid_t	 pid;

	if ((pid = spawn_process(sock, terminal, &a->host->limits,
	    argv, NULL)) == -1)
		return -1;
	actor_set_ospid(a, pid);
	log_debug("spawned %s %s as OS pid %d", a->entry->id, a->pid,
	    (int)pid);
	return 0;
}

/* Why spawn_exec failed, from its errno, in a string of the caller's. */
void
spawn_exec_failed(char **why)
{
	xasprintf(why, "spawn failed: %s: %s", sup.shim_path, strerror(errno));
}

/*
 * An actor's socketpair, sv[0] ours, sv[1] the actor's.  Ours never
 * blocks; the actor's does, so its shim can sleep in recv (link.c).
 */
int
spawn_socketpair(int sv[2])
{
	int	 e;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) == -1) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		errno = e;
		return -1;
	}
	return 0;
}

/*
 * a's socket, our end, from a new socketpair: the other end goes to the
 * zygote's clone of it at the end of this turn, or to an exec'd shim.
 * -1 with *err.
 */
static int
spawn_socket(struct actor *a, uint8_t flags, char **err)
{
	int	 sv[2];

	if (spawn_socketpair(sv) == -1) {
		xasprintf(err, "spawn failed: socketpair: %s", strerror(errno));
		return -1;
	}
	if (zygote_spawn(a, sv[1], flags) == 0)
		return sv[0];	/* sv[1] is the zygote's to send, then close */
	if (spawn_exec(a, sv[1], (flags & START_F_TERMINAL) != 0) == -1) {
		spawn_exec_failed(err);
		close(sv[0]);
		sv[0] = -1;
	}
	close(sv[1]);
	return sv[0];
}

/*
 * Start entry on host with the encoded arguments.  Returns the new actor,
 * or NULL with *err saying why (the caller owns the string).  A spare
 * becomes the actor if one is ready (spare.c); else with the zygote the
 * actor's OS pid comes later (zygote.c).  Its START frame and any
 * messages wait in its socket meanwhile.
 */
struct actor *
spawn_actor(struct entry *entry, struct entry *host, int main_actor,
    const void *args, size_t argslen, char **err)
{
	struct actor	*a;
	uint8_t		 flags = 0;

	if (!host->lc.auto_start) {
		xasprintf(err, "host %s is not running (its lifecycle.auto_start "
		    "is false)", host->id);
		return NULL;
	}
	if (host->kind == ENTRY_TERMINAL_HOST)
		flags |= START_F_TERMINAL;
	if (main_actor)
		flags |= START_F_MAIN;
	if (host->sandbox && !sup.no_sandbox)
		flags |= START_F_SANDBOX;
	a = actor_new(entry, host);
	a->main = main_actor;
	if ((a->sock = spare_take(a, flags)) == -1 &&
	    (a->sock = spawn_socket(a, flags, err)) == -1) {
		actor_bury(a);
		return NULL;
	}
	router_attach(a);
	spawn_send_start(a, flags, args, argslen);
	return a;
}
