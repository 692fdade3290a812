/*
 * ev.h: the one event loop both programs run: epoll for descriptors, a
 * min-heap of timers on CLOCK_MONOTONIC, and a hook before each sleep.
 */
#ifndef OSACTOR_EV_H
#define OSACTOR_EV_H

#include <stddef.h>
#include <stdint.h>

struct ev_loop;
struct ev_io;
struct ev_timer;

typedef void	(*ev_io_cb)(struct ev_loop *, struct ev_io *, uint32_t);
typedef void	(*ev_timer_cb)(struct ev_loop *, struct ev_timer *);

struct ev_io {
	int		 fd;
	uint32_t	 events;	/* EPOLLIN | EPOLLOUT as registered */
	ev_io_cb	 cb;
	void		*arg;
};

struct ev_timer {
	uint64_t	 when;		/* ev_now() nanoseconds */
	size_t		 slot;		/* index in the heap + 1; 0 = stopped */
	ev_timer_cb	 cb;
	void		*arg;
};

struct ev_loop {
	int		  epfd;
	struct ev_timer	**heap;
	size_t		  nheap;
	size_t		  capheap;
	size_t		  nio;		/* descriptors watched */
	void		(*before_sleep)(struct ev_loop *);
	void		 *arg;
	int		  stop;
};

uint64_t ev_now(void);
int	 ev_init(struct ev_loop *);
void	 ev_close(struct ev_loop *);
int	 ev_io_add(struct ev_loop *, struct ev_io *, int, uint32_t, ev_io_cb,
	    void *);
int	 ev_io_set(struct ev_loop *, struct ev_io *, uint32_t);
void	 ev_io_del(struct ev_loop *, struct ev_io *);
void	 ev_timer_start(struct ev_loop *, struct ev_timer *, uint64_t,
	    ev_timer_cb, void *);
void	 ev_timer_stop(struct ev_loop *, struct ev_timer *);
int	 ev_timer_active(const struct ev_timer *);
int	 ev_run_once(struct ev_loop *, int);
int	 ev_run(struct ev_loop *);

#endif /* OSACTOR_EV_H */
