/*
 * log.c: levelled log records.  A line is built whole and written with
 * one write(2), as text (coloured only on a terminal) or as one JSON
 * object, to stderr or a file reopened on SIGHUP.  In an actor a sink
 * takes the records instead, to send them to the supervisor.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "frame.h"
#include "log.h"
#include "mod_json.h"
#include "utf8.h"
#include "xmalloc.h"

static int		 log_threshold = LOG_WARN;
static const char	*log_ident = "osactor";
static int		 log_fd = STDERR_FILENO;
static int		 log_json;
static int		 log_colour = -1;	/* -1: not yet known */
static char		*log_path;
static void		(*log_sink)(const struct log_record *);

static const char *const level_names[] = {
	"OFF", "ERROR", "WARN", "INFO", "DEBUG"
};
static const char *const level_colours[] = {
	"", "\033[31m", "\033[33m", "\033[32m", "\033[2m"
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

void
log_set_sink(void (*sink)(const struct log_record *))
{
	log_sink = sink;
}

/* Log to path (NULL: stderr), as JSON or text; -1 with *err. */
int
log_open(const char *path, int json, char **err)
{
	log_json = json;
	free(log_path);
	log_path = path != NULL ? xstrdup(path) : NULL;
	if (log_reopen() == -1) {
		xasprintf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Open the log file anew (after rotation, on SIGHUP). */
int
log_reopen(void)
{
	int	 fd;

	if (log_path == NULL)
		return 0;
	fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd == -1)
		return -1;
	if (log_fd != STDERR_FILENO)
		close(log_fd);
	log_fd = fd;
	log_colour = 0;
	return 0;
}

static void
write_all(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = write(fd, p, n)) <= 0) {
			if (w == -1 && errno == EINTR)
				continue;
			return;		/* nowhere left to report it */
		}
		p += w;
		n -= (size_t)w;
	}
}

static void
put_cstr(struct wbuf *b, const char *s)
{
	wbuf_put(b, s, strlen(s));
}

/*
 * Text for a text log line, kept on one line: valid UTF-8 and tabs as
 * they are, \n and \r as those two characters, other control bytes, DEL
 * and bytes that are not part of valid UTF-8 as \xNN.
 */
void
log_put_text(struct wbuf *b, const char *str, size_t n)
{
	const unsigned char	*s = (const unsigned char *)str;
	char			 esc[8];
	size_t			 i = 0, run = 0, k;

	while (i < n) {
		if ((s[i] >= 0x20 && s[i] < 0x7f) || s[i] == '\t') {
			i++;
			continue;
		}
		if (s[i] >= 0x80 && (k = utf8_len(s + i, n - i)) > 0) {
			i += k;
			continue;
		}
		wbuf_put(b, s + run, i - run);
		snprintf(esc, sizeof(esc), s[i] == '\n' ? "\\n" : s[i] == '\r' ?
		    "\\r" : "\\x%02x", s[i]);
		put_cstr(b, esc);
		run = ++i;
	}
	wbuf_put(b, s + run, n - run);
}

static void
put_json_str(struct wbuf *b, const char *s, size_t n)
{
	json_put_string(b, s, n);
}

static void
put_stamp(struct wbuf *b)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 stamp[48];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	put_cstr(b, stamp);
	snprintf(stamp, sizeof(stamp), ".%03ldZ", ts.tv_nsec / 1000000);
	put_cstr(b, stamp);
}

static void
format_json(struct wbuf *b, const struct log_record *r)
{
	put_cstr(b, "{\"time\":\"");
	put_stamp(b);
	put_cstr(b, "\",\"level\":\"");
	put_cstr(b, level_names[r->level]);
	put_cstr(b, "\",\"entry\":");
	put_json_str(b, r->entry ? r->entry : log_ident,
	    strlen(r->entry ? r->entry : log_ident));
	if (r->pid != NULL) {
		put_cstr(b, ",\"pid\":");
		put_json_str(b, r->pid, strlen(r->pid));
	}
	if (r->name != NULL) {
		put_cstr(b, ",\"logger\":");
		put_json_str(b, r->name, strlen(r->name));
	}
	put_cstr(b, ",\"msg\":");
	put_json_str(b, r->msg, r->msglen);
	if (r->fjson != NULL && *r->fjson != '\0') {
		put_cstr(b, ",\"fields\":");
		put_cstr(b, r->fjson);
	}
	put_cstr(b, "}\n");
}

static void
format_text(struct wbuf *b, const struct log_record *r)
{
	char	 level[16];

	if (log_colour == -1)
		log_colour = isatty(log_fd);
	put_stamp(b);
	snprintf(level, sizeof(level), " %-5s ", level_names[r->level]);
	if (log_colour)
		put_cstr(b, level_colours[r->level]);
	put_cstr(b, level);
	if (log_colour)
		put_cstr(b, "\033[0m");
	put_cstr(b, r->entry ? r->entry : log_ident);
	if (r->pid != NULL) {
		wbuf_put_u8(b, ' ');
		put_cstr(b, r->pid);
	}
	if (r->name != NULL) {
		put_cstr(b, " [");
		log_put_text(b, r->name, strlen(r->name));
		wbuf_put_u8(b, ']');
	}
	wbuf_put_u8(b, ' ');
	log_put_text(b, r->msg, r->msglen);
	if (r->ftext != NULL)
		put_cstr(b, r->ftext);
	wbuf_put_u8(b, '\n');
}

void
log_record(const struct log_record *r)
{
	struct wbuf	 b = { 0 };

	if (r->level <= LOG_OFF || r->level > LOG_DEBUG ||
	    r->level > log_threshold)
		return;
	if (log_sink != NULL) {
		log_sink(r);
		return;
	}
	if (log_json)
		format_json(&b, r);
	else
		format_text(&b, r);
	write_all(log_fd, (const char *)b.data, b.len);
	wbuf_free(&b);
}

/* A plain line: who is "entry pid" or NULL for this program itself. */
void
log_line(int level, const char *who, const char *text)
{
	struct log_record r = { level, who, NULL, NULL, text, strlen(text),
	    NULL, NULL };

	log_record(&r);
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
