/*
 * log.h: log records, written one whole line per write(2) so lines never
 * interleave.  Actors hand their records to the supervisor (FRAME_LOG),
 * which alone writes the log: one destination, one format, reopened on
 * SIGHUP.
 */
#ifndef OSACTOR_LOG_H
#define OSACTOR_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level {
	LOG_OFF = 0,
	LOG_ERROR = 1,
	LOG_WARN = 2,
	LOG_INFO = 3,
	LOG_DEBUG = 4,
};

/* One log line's parts; NULL entry/pid/name/fields leave them out. */
struct log_record {
	int		 level;
	const char	*entry;		/* "app:relay"; NULL: the supervisor */
	const char	*pid;
	const char	*name;		/* logger:named() */
	const char	*msg;
	size_t		 msglen;
	const char	*ftext;		/* " key=value ..." for text lines */
	const char	*fjson;		/* "{...}" for JSON lines */
};

void		 log_init(int, const char *);
int		 log_level(void);
const char	*log_level_name(int);
int		 log_level_parse(const char *);
int		 log_open(const char *, int, char **);
int		 log_reopen(void);
void		 log_set_sink(void (*)(const struct log_record *));
void		 log_record(const struct log_record *);
void		 log_line(int, const char *, const char *);
struct wbuf;
void		 log_put_text(struct wbuf *, const char *, size_t);
void		 log_msg(int, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
#define log_warnx(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_error(...)	log_msg(LOG_ERROR, __VA_ARGS__)

#endif /* OSACTOR_LOG_H */
