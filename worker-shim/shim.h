/*
 * shim.h: the one actor this osactor-shim process runs, and the pieces
 * of the shim that other shim files call.
 */
#ifndef OSACTOR_SHIM_H
#define OSACTOR_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "ev.h"

/*
 * What one entry (the actor's own, or a library it requires) may see:
 * its modules: as globals and its imports: for require, nothing else.
 */
struct shim_scope {
	const char	**modules;	/* names listed in modules: */
	size_t		  nmodules;
	const char	**import_alias;	/* require(alias) -> library id */
	const char	**import_id;
	size_t		  nimports;
};

/* A library.lua entry the actor may require. */
struct shim_lib {
	char		*id;
	char		*source;	/* path, or "" */
	char		*code;		/* inline code, or "" */
	char		*chunk;
	struct shim_scope scope;
};

/* Who this actor is, as the supervisor's START frame said. */
struct shim {
	uint32_t	 id;		/* actor id, never reused */
	char		*pid;		/* "{app:processes|0x00004}" */
	char		*entry;		/* "app:worker" */
	char		*host;		/* "app:processes" */
	char		*source;	/* path of the Lua file, or "" */
	char		*code;		/* inline source code, or "" */
	char		*chunk;		/* what error messages call it */
	char		*method;	/* "main" */
	struct shim_scope scope;	/* the entry's modules and imports */
	struct shim_lib	*libs;		/* every library it may reach */
	size_t		 nlibs;
	int		 terminal;	/* owns stdin/stdout */
	int		 main;		/* the -x actor: result = exit status */
	int		 sandbox;	/* seccomp filter before its code runs */
	int		 prepared;	/* a spare made the loop ahead */
	int		 filtered;	/* and installed the filter */
	int		 log_level;	/* enum log_level */
	struct ev_loop	 loop;
	lua_State	*L;
};

extern struct shim shim;

/* link.c: the socket to the supervisor, fd 3 */
struct wbuf;
struct frame_hdr;
struct rbuf;
void		 link_reserve(void);
int		 link_read_start(struct wbuf *, struct rbuf *);
void		 link_init(void);
struct wbuf	*link_out(void);
size_t		 link_begin(uint16_t, uint32_t, uint32_t);
uint64_t	*link_taken(void);
void		 link_sleep(void);
void		 link_flush(void);
int		 link_wait_drain(lua_State *);
void		 link_flush_all(void);

/* mod_process.c: the process module and the frames it answers */
int		 luaopen_process(lua_State *);
void		 process_init(lua_State *);
void		 process_on_frame(lua_State *, const struct frame_hdr *,
		    struct rbuf *);

/* peers.c: actors this one may send to without a reply */
int		 peers_has(uint32_t);
void		 peers_add(uint32_t);
void		 peers_del(uint32_t);
uint32_t	 peers_name(const char *, size_t);
void		 peers_name_add(const char *, size_t, uint32_t);
void		 peers_name_del(const char *, size_t);

/* message.c: Message and Payload objects */
int		 message_push(lua_State *, const char *, size_t, const char *,
		    size_t, const void *, size_t, char *, size_t);
int		 message_push_json(lua_State *, const char *, size_t,
		    const char *, size_t, const char *, size_t, char *, size_t);
void		 message_init(lua_State *);
void		 message_data(lua_State *, int);

/* actor.c */
int		 actor_main(void);
lua_State	*actor_base_state(void);
void		 actor_precompile(lua_State *, const char *, const char *,
		    const char *);
void		 actor_precompile_done(lua_State *);
void		 actor_timezone(void);
void		 actor_prepare(int);
void		 actor_exit_now(int) __attribute__((noreturn));
void		 actor_exit_unseen_cancel(const char *, size_t)
		    __attribute__((noreturn));

/* zygote.c */
void		 zygote_main(const char *);

/* prefault.c */
void		 prefault_init(void);
void		 prefault(void);

#endif /* OSACTOR_SHIM_H */
