/*
 * raw_echo.c: the lower bound for an echo service that starts a new
 * worker process per request, in the tutorial's topology: each client
 * process sends a 64-byte request to a relay process over a Unix socket;
 * the relay forks a worker for it; the worker sends its reply back to the
 * relay, which passes it on to the client, and reaps the worker when
 * SIGCHLD says it ended.  Each client waits for its reply before the next
 * request.
 *
 * usage: raw_echo [clients [requests-per-client]]
 * Prints the milliseconds per request as one client sees them and the
 * requests per second of all clients together.
 */
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <ctype.h>
#include <err.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MSG		64
#define MAXCLIENTS	64

struct relay {
	int	 client[MAXCLIENTS];	/* -1 once the client has gone */
	int	 worker[MAXCLIENTS];	/* the worker serving it, or -1 */
	int	 nclients;
	int	 open;			/* clients still connected */
	long	 forked, reaped;
	int	 sigfd;
};

/* Reads one whole message; 0 at end of file. */
static int
read_msg(int fd, char *buf)
{
	ssize_t	 n, off = 0;

	while (off < MSG) {
		if ((n = read(fd, buf + off, MSG - off)) == -1)
			err(1, "read");
		if (n == 0) {
			if (off != 0)
				errx(1, "short message");
			return 0;
		}
		off += n;
	}
	return 1;
}

static void
write_msg(int fd, const char *buf)
{
	if (write(fd, buf, MSG) != MSG)
		err(1, "write");
}

static void
worker(int fd, char *buf)
{
	int	 i;

	for (i = 0; i < MSG; i++)
		buf[i] = (char)toupper((unsigned char)buf[i]);
	write_msg(fd, buf);
	_exit(0);
}

static void
relay_request(struct relay *r, int i)
{
	char	 buf[MSG];
	int	 sv[2];
	pid_t	 pid;

	if (!read_msg(r->client[i], buf)) {
		close(r->client[i]);
		r->client[i] = -1;
		r->open--;
		return;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0)
		worker(sv[1], buf);
	close(sv[1]);
	r->worker[i] = sv[0];
	r->forked++;
}

static void
relay_reply(struct relay *r, int i)
{
	char	 buf[MSG];

	if (!read_msg(r->worker[i], buf))
		errx(1, "worker ended without a reply");
	write_msg(r->client[i], buf);
	close(r->worker[i]);
	r->worker[i] = -1;
}

static void
relay_reap(struct relay *r)
{
	struct signalfd_siginfo	 si;
	pid_t			 pid;

	if (read(r->sigfd, &si, sizeof(si)) != sizeof(si))
		err(1, "read signalfd");
	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
		r->reaped++;
	if (pid == -1 && r->reaped != r->forked)
		err(1, "waitpid");
}

/* Serves until every client has gone and every worker is reaped. */
static void
relay_run(struct relay *r)
{
	struct pollfd	 pfd[1 + MAXCLIENTS];
	int		 who[1 + MAXCLIENTS], n, i, k;

	while (r->open > 0 || r->reaped < r->forked) {
		pfd[0] = (struct pollfd){ .fd = r->sigfd, .events = POLLIN };
		for (n = 1, i = 0; i < r->nclients; i++) {
			k = r->worker[i] != -1 ? r->worker[i] : r->client[i];
			if (k == -1)
				continue;
			pfd[n] = (struct pollfd){ .fd = k, .events = POLLIN };
			who[n++] = i;
		}
		if (poll(pfd, (nfds_t)n, -1) == -1)
			err(1, "poll");
		if (pfd[0].revents != 0)
			relay_reap(r);
		for (k = 1; k < n; k++) {
			if (pfd[k].revents == 0)
				continue;
			if (pfd[k].fd == r->worker[who[k]])
				relay_reply(r, who[k]);
			else
				relay_request(r, who[k]);
		}
	}
	_exit(0);
}

static void
client_run(int fd, int start, int requests)
{
	char	 buf[MSG];
	int	 i;

	if (read(start, buf, 1) != 1)
		err(1, "read start");
	for (i = 0; i < requests; i++) {
		memset(buf, 0, sizeof(buf));
		strcpy(buf, "hello");
		write_msg(fd, buf);
		if (!read_msg(fd, buf) || strcmp(buf, "HELLO") != 0)
			errx(1, "bad reply");
	}
	_exit(0);
}

static pid_t
start_relay(int sv[][2], int nclients)
{
	struct relay	 r = { .nclients = nclients, .open = nclients };
	sigset_t	 set;
	pid_t		 pid;
	int		 i;

	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid != 0)
		return pid;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		err(1, "sigprocmask");
	if ((r.sigfd = signalfd(-1, &set, SFD_CLOEXEC)) == -1)
		err(1, "signalfd");
	for (i = 0; i < nclients; i++) {
		close(sv[i][1]);
		r.client[i] = sv[i][0];
		r.worker[i] = -1;
	}
	relay_run(&r);
	return -1;
}

/* Client i keeps only its own end: the relay must see each one close. */
static pid_t
start_client(int sv[][2], int nclients, int i, int start, int requests)
{
	pid_t	 pid;
	int	 j;

	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid != 0)
		return pid;
	for (j = 0; j < nclients; j++) {
		close(sv[j][0]);
		if (j != i)
			close(sv[j][1]);
	}
	client_run(sv[i][1], start, requests);
	return -1;
}

static void
wait_ok(pid_t pid)
{
	int	 status;

	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "child %d failed", (int)pid);
}

int
main(int argc, char **argv)
{
	int		 nclients = argc > 1 ? atoi(argv[1]) : 1;
	int		 requests = argc > 2 ? atoi(argv[2]) : 200;
	int		 sv[MAXCLIENTS][2], go[2], i;
	pid_t		 relay, client[MAXCLIENTS];
	struct timespec	 t0, t1;
	double		 s;

	if (nclients < 1 || nclients > MAXCLIENTS || requests < 1)
		errx(64, "usage: raw_echo [1-%d [requests]]", MAXCLIENTS);
	for (i = 0; i < nclients; i++)
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
		    sv[i]) == -1)
			err(1, "socketpair");
	if (pipe2(go, O_CLOEXEC) == -1)
		err(1, "pipe2");
	relay = start_relay(sv, nclients);
	for (i = 0; i < nclients; i++)
		client[i] = start_client(sv, nclients, i, go[0], requests);
	for (i = 0; i < nclients; i++) {
		close(sv[i][0]);
		close(sv[i][1]);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < nclients; i++)
		if (write(go[1], "g", 1) != 1)
			err(1, "write start");
	for (i = 0; i < nclients; i++)
		wait_ok(client[i]);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	wait_ok(relay);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.3f %.0f\n", s * 1e3 / requests, nclients * requests / s);
	return 0;
}
