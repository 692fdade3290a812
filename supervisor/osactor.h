/*
 * osactor.h: the supervisor's types and the functions its files share,
 * grouped by the file that defines them.
 */
#ifndef OSACTOR_H
#define OSACTOR_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "ev.h"
#include "frame.h"

struct app;
struct entry;
struct service;

/* An open-addressing hash map over byte-string keys the values own. */
struct hmap_slot {
	uint64_t	 hash;
	const void	*key;
	size_t		 klen;
	void		*val;
};

struct hmap {
	struct hmap_slot *slots;
	size_t		  cap;		/* power of two, or 0 */
	size_t		  n;
};

enum actor_state {
	ACTOR_RUNNING,
	ACTOR_DEAD,
};

/* How an actor ended, once it has. */
struct actor_result {
	int		 have;		/* an EXITING frame arrived */
	uint8_t		 status;	/* PROTO_OK or PROTO_ERROR */
	struct wbuf	 body;		/* value bytes, or the error message */
	char		*reason;	/* set by the supervisor: kill, protocol */
};

struct actor {
	uint32_t	 id;
	char		*pid;		/* "{host|0x00004}" */
	struct entry	*entry;		/* its process.lua */
	struct entry	*host;
	struct service	*service;	/* the service it runs, if any */
	enum actor_state state;
	pid_t		 ospid;
	int		 sock;
	int		 wstatus;	/* from waitpid, once reaped */
	int		 main;		/* the -x actor */
	int		 ready;		/* main ran to its first wait */
	int		 spawning;	/* the zygote has not said its OS pid */
	int		 kill_asked;	/* ... and it is to be killed then */
	uint64_t	 started;	/* ev_now() at spawn */
	struct ev_io	 io;
	struct wbuf	 in;
	struct wbuf	 out;
	size_t		 out_left;	/* unsent bytes of the frame at out's head */
	int		 out_msg;	/* ... and whether it is a message */
	size_t		 queued_msgs;	/* messages in out not yet sent */
	uint64_t	 delivered;	/* messages ever routed to it */
	uint64_t	 taken;		/* ... and taken, as its TAKEN said */
	int		 queued;	/* on the flush list */
	uint32_t	*monitors;	/* ids of actors to get our EXIT */
	size_t		 nmonitors;
	uint32_t	*links;		/* ids of linked actors, both ways */
	size_t		 nlinks;
	uint32_t	*senders;	/* ids told GONE when we end */
	size_t		 nsenders;
	uint32_t	*stalled;	/* senders not read while out is full */
	size_t		 nstalled;
	int		 stalled_on;	/* not read: a receiver's out is full */
	int		 draining;	/* reaped: read to the end regardless */
	char		**names;	/* registered names, freed on exit */
	size_t		 nnames;
	struct actor_result result;
	struct actor	*next_flush;
	struct actor	*next_dead;
};

enum service_state {
	SVC_STOPPED,		/* not started, or stopped by the operator */
	SVC_WAITING,		/* for the services it requires */
	SVC_STARTING,		/* spawned; main has not reached a wait */
	SVC_RUNNING,
	SVC_RESTARTING,		/* failed; its back-off is running */
	SVC_STOPPING,		/* CANCEL sent; SIGKILL at stop_timeout */
	SVC_DONE,		/* its actor exited normally */
	SVC_FAILED,		/* past max_attempts, or a requirement failed */
};

/* A process.service entry and the actor currently running it. */
struct service {
	struct entry	*entry;
	struct entry	*process;
	struct entry	*host;
	struct service	**requires;	/* the services it needs up first */
	size_t		 nrequires;
	uint32_t	 slot;		/* its id on node:control */
	struct actor	*actor;
	enum service_state state;
	int64_t		 attempts;	/* failures since it last ran stably */
	int64_t		 restarts;	/* every restart, for ps */
	int		 counted;	/* counted in sup.starting */
	int		 stop_wanted;	/* stop once its dependents are down */
	int		 start_again;	/* restart: start once it has stopped */
	char		*last_error;	/* why it last failed, for the log */
	struct ev_timer	 timer;		/* back-off, or the stop timeout */
};

/* The running app: everything the loop owns. */
struct sup {
	struct app	*app;
	struct ev_loop	 loop;
	const char	*shim_path;
	int		 spawn_exec;	/* --spawn=exec: no zygote */
	int		 no_sandbox;	/* --no-sandbox: no host filters */
	int		 log_level;	/* passed to actors */
	uint32_t	 next_id;
	struct hmap	 actors;	/* id -> actor */
	struct hmap	 ospids;	/* OS pid -> actor */
	struct hmap	 names;		/* registered name -> actor */
	struct hmap	 name_watchers;	/* registered name -> its watchers */
	struct actor	*flush;		/* actors with bytes to write, */
	struct actor   **flush_tail;	/* in the order they got them */
	struct actor	*dead;		/* freed once the turn ends */
	size_t		 nlive;
	uint64_t	 dead_letters;	/* never taken, or sent after the end */
	struct service	*services;
	size_t		 nservices;
	size_t		 starting;	/* services not yet ready */
	struct ev_timer	 start_timer;	/* cap on waiting for them */
	struct actor	*main;		/* the -x actor */
	struct entry	*main_entry;
	struct entry	*main_host;
	char		**main_args;
	int		 main_nargs;
	int		 main_status;	/* exit status once main ended */
	int		 main_done;
	int		 stopping;
	int		 signo;		/* the signal that stopped us */
	int64_t		 stop_timeout;	/* ns */
	int		 stop_timeout_set; /* --stop-timeout: for services too */
	struct ev_timer	 stop_timer;
	int		 sigfd;
	struct ev_io	 sig_io;
	char		*title;		/* the app's namespace */
};

extern struct sup sup;

/* args.c */
void		 args_encode_strings(struct wbuf *, char *const *, size_t);
size_t		 args_find_pids(const void *, size_t, uint32_t *, size_t);

/* hmap.c */
uint64_t	 hmap_hash(const void *, size_t);
void		*hmap_get(const struct hmap *, const void *, size_t);
void		 hmap_put(struct hmap *, const void *, size_t, void *);
void		*hmap_del(struct hmap *, const void *, size_t);
void		 hmap_free(struct hmap *);

/* actor.c */
struct actor	*actor_new(struct entry *, struct entry *);
struct actor	*actor_find(uint32_t);
struct actor	*actor_find_ospid(pid_t);
void		 actor_set_ospid(struct actor *, pid_t);
void		 actor_bury(struct actor *);
void		 actor_free_dead(void);
uint32_t	 actor_next_id(void);

/* spawn.c */
struct limits;
struct actor	*spawn_actor(struct entry *, struct entry *, int,
		    const void *, size_t, char **);
pid_t		 spawn_process(int, int, const struct limits *, char *const [],
		    char *const []);
int		 spawn_exec(struct actor *, int, int);
int		 spawn_socketpair(int [2]);
void		 spawn_exec_failed(char **);
void		 spawn_limits(const struct limits *, int64_t *);
const char	*spawn_chunk_name(const struct entry *, char **);

/* zygote.c */
void		 zygote_start(void);
char		**zygote_env(char *const []);
int		 zygote_spawn(struct actor *, int, uint8_t);
void		 zygote_flush(void);
void		 zygote_expect(struct actor *);
void		 zygote_answer(struct actor *, pid_t, int);
int		 zygote_reaped(pid_t, int);
void		 zygote_stop(void);
void		 zygote_put_spawn(struct wbuf *, struct actor *, uint8_t);
int		 zygote_ask_spare(int, uint32_t, uint8_t);

/* spare.c */
void		 spare_fill(void);
void		 spare_answer(uint32_t, pid_t, int);
int		 spare_take(struct actor *, uint8_t);
int		 spare_reaped(pid_t);
void		 spare_forget_asked(void);
void		 spare_stop(void);

/* router.c */
void		 router_attach(struct actor *);
void		 router_detach(struct actor *);
void		 router_drain(struct actor *);
void		 router_flush_all(void);
void		 router_queue(struct actor *);
void		 router_queue_msg(struct actor *);
void		 router_protocol_error(struct actor *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 router_reply_error(struct actor *, uint32_t, const char *,
		    const char *, ...) __attribute__((format(printf, 4, 5)));

/* registry.c */
int		 registry_add(struct actor *, const char *, size_t,
		    const char **, const char **);
int		 registry_remove(struct actor *, const char *, size_t);
struct actor	*registry_lookup(const char *, size_t);
void		 registry_drop(struct actor *);
int		 registry_watch(const char *, size_t, uint32_t);
void		 registry_notify(struct actor *);

/* monitor.c */
int		 monitor_add(struct actor *, uint32_t);
int		 monitor_remove(struct actor *, uint32_t);
int		 link_add(struct actor *, struct actor *);
int		 link_remove(struct actor *, struct actor *);
void		 monitor_notify(struct actor *);
int		 monitor_watch_sender(struct actor *, uint32_t);
int		 idset_add(uint32_t **, size_t *, uint32_t);
int		 idset_watch(uint32_t **, size_t *, uint32_t);
void		 monitor_tell_gone(const uint32_t *, size_t, const struct actor *,
		    uint32_t, const char *, size_t);
void		 monitor_event(struct actor *, int, const char *, uint8_t,
		    const void *, size_t);

/* privdrop.c */
int		 privdrop(const char *, char **);

/* reap.c */
int		 reap_init(void);
void		 reap_children(void);
void		 reap_kill(struct actor *, const char *);
void		 reap_late(struct actor *, pid_t, int);
void		 reap_lost(struct actor *, const char *);

/* service.c */
int		 service_init(void);
void		 service_start_all(void);
void		 service_ready(struct service *);
void		 service_exited(struct service *, struct actor *);
void		 service_stop_all(void);
struct service	*service_find(const char *);
const char	*service_state(const struct service *);
int		 service_start(struct service *, char **);
int		 service_stop(struct service *, char **);
int		 service_restart(struct service *, char **);

/* control.c */
char		*control_path(const char *, const char *, char **);
int		 control_prepare_user(uid_t, gid_t, char **);
char		*control_user_path(const char *);
int		 control_init(void);
void		 control_close(void);

/* ctl.c */
int		 ctl_main(const char *, int, char **, const char *);

/* run.c */
int		 run_app(void);
void		 run_actor_ready(struct actor *);
void		 run_actor_exited(struct actor *);
void		 run_stop(int);

#endif /* OSACTOR_H */
