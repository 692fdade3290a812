/*
 * config.h: the app definition (every *.yaml under the app folder, API.md
 * section 7) as validated C structures.  config_load reads files and does
 * nothing else, so `osactor check` and `osactor run` share it.
 */
#ifndef OSACTOR_CONFIG_H
#define OSACTOR_CONFIG_H

#include <stddef.h>
#include <stdint.h>

enum entry_kind {
	ENTRY_TERMINAL_HOST,
	ENTRY_PROCESS_HOST,
	ENTRY_PROCESS_LUA,
	ENTRY_LIBRARY_LUA,
	ENTRY_PROCESS_SERVICE,
};

struct restart_policy {
	int64_t		 initial_delay;		/* ns, default 1s */
	int64_t		 max_delay;		/* ns, default 90s */
	double		 backoff_factor;	/* >= 1, default 2.0 */
	double		 jitter;		/* 0..1, default 0.1 */
	int64_t		 max_attempts;		/* 0 = unlimited */
};

/*
 * The shortest wait before restarting a failed service: systemd's default
 * RestartSec, so a service that fails at once starts at most 10 times a
 * second.  initial_delay may not be shorter; jitter never goes below it.
 */
#define RESTART_MIN_DELAY	100000000LL	/* ns: 100ms */

struct lifecycle {
	int			 auto_start;
	char			**requires;		/* entry ids */
	size_t			 nrequires;
	int64_t			 stop_timeout;		/* ns, default 10s */
	int64_t			 stable_threshold;	/* ns, default 5s */
	struct restart_policy	 restart;
};

/* setrlimit values for each actor of a process.host; -1 = unset. */
struct limits {
	int64_t		 memory;	/* bytes (RLIMIT_AS) */
	int64_t		 cpu_time;	/* seconds, rounded up */
	int64_t		 open_files;
	int64_t		 processes;
	int64_t		 core;		/* bytes */
};

struct entry {
	char		 *id;		/* "ns:name" */
	char		 *name;
	enum entry_kind	  kind;
	char		 *file;		/* yaml path as shown in errors */
	int		  line, column;	/* where the entry starts, 1-based */
	struct lifecycle  lc;
	int		  hide_logs;	/* terminal.host */
	int		  sandbox;	/* hosts: seccomp for actors, default 1 */
	struct limits	  limits;	/* process.host */
	char		 *source_path;	/* absolute path of a file:// source */
	char		 *source_code;	/* inline source, when not file:// */
	char		 *method;	/* process.lua: default "main" */
	char		**modules;
	size_t		  nmodules;
	char		**import_alias;	/* alias -> library.lua id */
	char		**import_id;
	size_t		  nimports;
	char		 *process;	/* process.service: a process.lua id */
	char		 *host;		/* process.service: a host id */
	char		**input;	/* process.service: scalars as text */
	size_t		  ninput;
};

struct app {
	char		 *dir;		/* absolute, resolved */
	struct entry	**entries;	/* by file path, then file order */
	size_t		  nentries;
};

int		 config_load(const char *, struct app *, char **);
void		 config_free(struct app *);
struct entry	*config_find(const struct app *, const char *);

/* backoff.c */
int64_t		 backoff_delay(const struct restart_policy *, int64_t, double);
const char	*entry_kind_name(enum entry_kind);

#endif /* OSACTOR_CONFIG_H */
