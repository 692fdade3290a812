/*
 * ev.c: epoll and a timer heap, shaped like redis's ae.c.  Shared by the
 * supervisor and the shim.  Callbacks may add and remove descriptors and
 * timers, including their own.
 */
#include <sys/epoll.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ev.h"
#include "xmalloc.h"

#define EV_BATCH	64

uint64_t
ev_now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int
ev_init(struct ev_loop *loop)
{
	memset(loop, 0, sizeof(*loop));
	if ((loop->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return -1;
	return 0;
}

void
ev_close(struct ev_loop *loop)
{
	if (loop->epfd != -1)
		close(loop->epfd);
	free(loop->heap);
	loop->heap = NULL;
	loop->epfd = -1;
}

/* Watch fd for events; -1 with errno (EPERM for regular files). */
int
ev_io_add(struct ev_loop *loop, struct ev_io *io, int fd, uint32_t events,
    ev_io_cb cb, void *arg)
{
	struct epoll_event ee = { .events = events, .data.ptr = io };

	io->fd = fd;
	io->events = events;
	io->cb = cb;
	io->arg = arg;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ee) == -1) {
		io->fd = -1;	/* nothing for ev_io_del to undo */
		return -1;
	}
	loop->nio++;
	return 0;
}

/* Change what io waits for; a no-op when it is already that. */
int
ev_io_set(struct ev_loop *loop, struct ev_io *io, uint32_t events)
{
	struct epoll_event ee = { .events = events, .data.ptr = io };

	if (io->events == events)
		return 0;
	io->events = events;
	return epoll_ctl(loop->epfd, EPOLL_CTL_MOD, io->fd, &ee);
}

void
ev_io_del(struct ev_loop *loop, struct ev_io *io)
{
	if (io->fd == -1)
		return;
	(void)epoll_ctl(loop->epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io->fd = -1;
	loop->nio--;
}

static void
heap_swap(struct ev_loop *loop, size_t a, size_t b)
{
	struct ev_timer	*t = loop->heap[a];

	loop->heap[a] = loop->heap[b];
	loop->heap[b] = t;
	loop->heap[a]->slot = a + 1;
	loop->heap[b]->slot = b + 1;
}

static void
heap_up(struct ev_loop *loop, size_t i)
{
	while (i > 0 && loop->heap[(i - 1) / 2]->when > loop->heap[i]->when) {
		heap_swap(loop, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct ev_loop *loop, size_t i)
{
	size_t	 l, m;

	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < loop->nheap && loop->heap[l]->when < loop->heap[m]->when)
			m = l;
		if (l + 1 < loop->nheap &&
		    loop->heap[l + 1]->when < loop->heap[m]->when)
			m = l + 1;
		if (m == i)
			return;
		heap_swap(loop, i, m);
		i = m;
	}
}

int
ev_timer_active(const struct ev_timer *t)
{
	return t->slot != 0;
}

/* Fire cb once, `after` nanoseconds from now.  Restarts a running timer. */
void
ev_timer_start(struct ev_loop *loop, struct ev_timer *t, uint64_t after,
    ev_timer_cb cb, void *arg)
{
	uint64_t now = ev_now();

	ev_timer_stop(loop, t);
	t->when = after > UINT64_MAX - now ? UINT64_MAX : now + after;
	t->cb = cb;
	t->arg = arg;
	if (loop->nheap == loop->capheap) {
		loop->capheap = loop->capheap ? loop->capheap * 2 : 16;
		loop->heap = xrealloc(loop->heap,
		    loop->capheap * sizeof(*loop->heap));
	}
	loop->heap[loop->nheap++] = t;
	t->slot = loop->nheap;
	heap_up(loop, loop->nheap - 1);
}

void
ev_timer_stop(struct ev_loop *loop, struct ev_timer *t)
{
	size_t	 i;

	if (t->slot == 0)
		return;
	i = t->slot - 1;
	t->slot = 0;
	if (--loop->nheap == i)
		return;
	loop->heap[i] = loop->heap[loop->nheap];
	loop->heap[i]->slot = i + 1;
	heap_down(loop, i);
	heap_up(loop, i);
}

/* Milliseconds epoll may sleep: -1 forever, rounded up so timers are due. */
static int
ev_timeout(struct ev_loop *loop, int block)
{
	uint64_t	 now, ms;

	if (!block)
		return 0;
	if (loop->nheap == 0)
		return -1;
	now = ev_now();
	if (loop->heap[0]->when <= now)
		return 0;
	ms = (loop->heap[0]->when - now + 999999) / 1000000;
	return ms > 60000 ? 60000 : (int)ms;
}

static void
ev_run_timers(struct ev_loop *loop)
{
	uint64_t	 now = ev_now();
	struct ev_timer	*t;

	while (loop->nheap > 0 && loop->heap[0]->when <= now) {
		t = loop->heap[0];
		ev_timer_stop(loop, t);
		t->cb(loop, t);
	}
}

/*
 * One turn: the before-sleep hook, a wait (none unless block), ready
 * descriptors, due timers.  Returns -1 only when epoll itself fails.
 */
int
ev_run_once(struct ev_loop *loop, int block)
{
	struct epoll_event	 ev[EV_BATCH];
	struct ev_io		*io;
	int			 i, n;

	if (loop->before_sleep != NULL)
		loop->before_sleep(loop);
	if (loop->stop)
		return 0;
	n = epoll_wait(loop->epfd, ev, EV_BATCH, ev_timeout(loop, block));
	if (n == -1) {
		if (errno != EINTR)
			return -1;
		n = 0;
	}
	for (i = 0; i < n; i++) {
		io = ev[i].data.ptr;
		if (io->fd != -1)
			io->cb(loop, io, ev[i].events);
	}
	ev_run_timers(loop);
	return 0;
}

int
ev_run(struct ev_loop *loop)
{
	while (!loop->stop)
		if (ev_run_once(loop, 1) == -1)
			return -1;
	return 0;
}
