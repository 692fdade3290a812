/*
 * log.c: levelled log lines on stderr.  A line is built whole and written
 * with one write(2): actors and the supervisor share the same stderr, and
 * writes of up to PIPE_BUF bytes to a pipe are never interleaved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

static int		 log_threshold = LOG_WARN;
static const char	*log_ident = "osactor";

static const char *const level_names[] = {
	"OFF", "ERROR", "WARN", "INFO", "DEBUG"
};

void
log_init(int level, const char *ident)
{
	log_threshold = level;
	log_ident = ident;
}

int
log_level(void)
{
	return log_threshold;
}

const char *
log_level_name(int level)
{
	if (level < LOG_OFF || level > LOG_DEBUG)
		return "?";
	return level_names[level];
}

/* A level by name, any case; -1 when unknown. */
int
log_level_parse(const char *s)
{
	int	 i;

	for (i = LOG_OFF; i <= LOG_DEBUG; i++)
		if (strcasecmp(s, level_names[i]) == 0)
			return i;
	if (strcasecmp(s, "warning") == 0)
		return LOG_WARN;
	return -1;
}

static void
write_all(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = write(fd, p, n)) <= 0)
			return;		/* nowhere left to report it */
		p += w;
		n -= (size_t)w;
	}
}

/* Emit "TIME LEVEL who text\n" when level passes the threshold. */
void
log_line(int level, const char *who, const char *text)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 stamp[32], *line;
	int		 n;

	if (level == LOG_OFF || level > log_threshold)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	n = xasprintf(&line, "%s.%03ldZ %-5s %s %s\n", stamp,
	    ts.tv_nsec / 1000000, level_names[level], who ? who : log_ident,
	    text);
	write_all(STDERR_FILENO, line, (size_t)n);
	free(line);
}

void
log_msg(int level, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	if (level == LOG_OFF || level > log_threshold)
		return;
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	log_line(level, NULL, text);
	free(text);
}
