/*
 * spawn.c: start an actor: socketpair, fork, exec of osactor-shim with
 * the socket on fd 3, then the START frame that tells the shim who it is.
 * The child never runs supervisor code past the exec: no inherited heap.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "osactor.h"
#include "proto.h"
#include "xmalloc.h"

#define SHIM_SOCK_FD	3
#define SHIM_ERR_FD	4

/* Tell the parent why exec failed, then leave without touching its state. */
static void __attribute__((noreturn))
child_fail(int errfd)
{
	int	 e = errno;

	(void)!write(errfd, &e, sizeof(e));
	_exit(127);
}

/* Move fd to want, keeping cloexec as asked; fd is above 10 already. */
static void
child_place(int fd, int want, int cloexec, int errfd)
{
	if (dup3(fd, want, cloexec ? O_CLOEXEC : 0) == -1)
		child_fail(errfd);
}

/* Soft limit value; the hard one is value + slack.  value < 0: none. */
static void
child_limit(int resource, int64_t value, int64_t slack, int errfd)
{
	struct rlimit	 rl;

	if (value < 0)
		return;
	rl.rlim_cur = (rlim_t)value;
	rl.rlim_max = value > INT64_MAX - slack ? RLIM_INFINITY :
	    (rlim_t)(value + slack);
	if (setrlimit(resource, &rl) == -1)
		child_fail(errfd);
}

/*
 * The host's limits: (API.md section 7); no core files unless asked.
 * cpu_time is the soft limit, so an actor past it gets SIGXCPU (which
 * reap.c reports as such) a second before the hard limit's SIGKILL.
 */
static void
child_limits(const struct limits *l, int errfd)
{
	child_limit(RLIMIT_AS, l->memory, 0, errfd);
	child_limit(RLIMIT_CPU, l->cpu_time, 1, errfd);
	child_limit(RLIMIT_NOFILE, l->open_files, 0, errfd);
	child_limit(RLIMIT_NPROC, l->processes, 0, errfd);
	child_limit(RLIMIT_CORE, l->core < 0 ? 0 : l->core, 0, errfd);
}

static void __attribute__((noreturn))
child_exec(int sock, int errpipe, pid_t parent, const struct entry *host)
{
	char		 arg0[] = "osactor-shim";
	char		*argv[] = { arg0, NULL };
	sigset_t	 none;
	int		 s, e, null, i, terminal;

	terminal = host->kind == ENTRY_TERMINAL_HOST;
	/* Own session: the terminal's ^C reaches the supervisor only. */
	if (setsid() == -1)
		_exit(127);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(127);
	if ((e = fcntl(errpipe, F_DUPFD_CLOEXEC, 10)) == -1 ||
	    (s = fcntl(sock, F_DUPFD_CLOEXEC, 10)) == -1)
		_exit(127);
	child_place(e, SHIM_ERR_FD, 1, e);
	e = SHIM_ERR_FD;
	child_place(s, SHIM_SOCK_FD, 0, e);
	if (!terminal) {
		if ((null = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
			child_fail(e);
		child_place(null, STDIN_FILENO, 0, e);
		child_place(STDERR_FILENO, STDOUT_FILENO, 0, e);
	}
	if (close_range(SHIM_ERR_FD + 1, ~0U, 0) == -1)
		child_fail(e);
	child_limits(&host->limits, e);
	for (i = 1; i < NSIG; i++)
		(void)signal(i, SIG_DFL);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) == -1)
		child_fail(e);
	execv(sup.shim_path, argv);
	child_fail(e);
}

/* Fork and exec; the pid, or -1 with errno (the child's exec errno too). */
static pid_t
spawn_process(int sock, const struct entry *host)
{
	int	 ep[2], childerr;
	pid_t	 parent = getpid(), pid;
	ssize_t	 n;

	if (pipe2(ep, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(ep[0]);
		close(ep[1]);
		return -1;
	}
	if (pid == 0)
		child_exec(sock, ep[1], parent, host);
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

static const char *
chunk_name(const struct entry *e, char **owned)
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
		wbuf_put_cstr(b, chunk_name(libs[i], &chunk));
		free(chunk);
		put_scope(b, libs[i]);
	}
	free(libs);
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
	wbuf_put_cstr(b, chunk_name(e, &chunk));
	free(chunk);
	wbuf_put_cstr(b, e->method ? e->method : "main");
	/* A terminal host with hide_logs keeps its actors' logs off. */
	wbuf_put_u8(b, a->host->hide_logs ? LOG_OFF : (uint8_t)sup.log_level);
	wbuf_put_u8(b, flags);
	put_imports(b, e);
	wbuf_put(b, args, argslen);
	if (frame_finish(b, start) == -1)
		fatalx("START frame too large for %s", a->pid);
	router_queue(a);
}

/*
 * Start entry on host with the encoded arguments.  Returns the new actor,
 * or NULL with *err saying why (the caller owns the string).
 */
struct actor *
spawn_actor(struct entry *entry, struct entry *host, int main_actor,
    const void *args, size_t argslen, char **err)
{
	struct actor	*a;
	int		 sv[2], terminal;
	uint8_t		 flags = 0;
	pid_t		 pid;

	if (!host->lc.auto_start) {
		xasprintf(err, "host %s is not running (its lifecycle.auto_start "
		    "is false)", host->id);
		return NULL;
	}
	terminal = host->kind == ENTRY_TERMINAL_HOST;
	if (terminal)
		flags |= START_F_TERMINAL;
	if (main_actor)
		flags |= START_F_MAIN;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0, sv) == -1) {
		xasprintf(err, "spawn failed: socketpair: %s", strerror(errno));
		return NULL;
	}
	if ((pid = spawn_process(sv[1], host)) == -1) {
		xasprintf(err, "spawn failed: %s: %s", sup.shim_path,
		    strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return NULL;
	}
	close(sv[1]);
	a = actor_new(entry, host);
	a->main = main_actor;
	a->sock = sv[0];
	actor_set_ospid(a, pid);
	router_attach(a);
	spawn_send_start(a, flags, args, argslen);
	log_debug("spawned %s %s as OS pid %d", entry->id, a->pid, (int)pid);
	return a;
}
