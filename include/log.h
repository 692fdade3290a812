/*
 * log.h: log lines on stderr, one write(2) per line so lines from many
 * actor processes sharing one stderr never interleave.
 */
#ifndef OSACTOR_LOG_H
#define OSACTOR_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_OFF = 0,
	LOG_ERROR = 1,
	LOG_WARN = 2,
	LOG_INFO = 3,
	LOG_DEBUG = 4,
};

void		 log_init(int, const char *);
int		 log_level(void);
const char	*log_level_name(int);
int		 log_level_parse(const char *);
void		 log_line(int, const char *, const char *);
void		 log_msg(int, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
#define log_warnx(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_error(...)	log_msg(LOG_ERROR, __VA_ARGS__)

#endif /* OSACTOR_LOG_H */
