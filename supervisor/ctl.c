/*
 * ctl.c: `osactor ps|stop|start|restart|send`, the client side of a
 * running app's control socket (control.c is the server).  The app is
 * found by its folder; its supervisor must be our uid or root (or, for
 * root, the uid root started it as with --user).  What the
 * app sends back is untrusted: lengths are checked, and strings are
 * escaped before they reach a terminal or a JSON reader.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

#include "mod_json.h"
#include "osactor.h"
#include "proto.h"
#include "utf8.h"
#include "xmalloc.h"

#define CTL_WAIT_MS	10000		/* for an answer; stop waits for exit */
#define CTL_JSON_DEPTH	VALUE_MAX_DEPTH
#define CTL_NCOLS	12

/* A string in a reply: not NUL-terminated, may hold any byte. */
struct ctl_str {
	const char	*p;
	size_t		 n;
};

struct ctl_row {
	uint8_t		 kind;
	struct ctl_str	 pid, entry, host, service, state;
	struct ctl_str	*names;
	uint32_t	 nnames;
	uint32_t	 ospid;
	uint64_t	 queued, rss, cpu, uptime, restarts, delivered, taken;
};

struct ctl {
	const char	*cmd;
	const char	*dir;		/* as given */
	char		*abs;		/* resolved */
	int		 json;
	int		 fd;
	struct wbuf	 in;
};

static const struct option ctl_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Usage on stderr with EX_USAGE, or on stdout with 0 when asked (-h). */
static int
ctl_usage(const char *cmd, int asked)
{
	fprintf(asked ? stdout : stderr, "usage: osactor ps [-d DIR] [--json]\n"
	    "       osactor stop [-d DIR] [SERVICE]\n"
	    "       osactor start|restart [-d DIR] SERVICE\n"
	    "       osactor send [-d DIR] NAME|PID TOPIC JSON\n"
	    "See osactor(1).\n");
	return asked ? 0 : EX_USAGE;
}

/*
 * JSON text check: the shim's own decoder (worker-shim/mod_json.c), run
 * here in a throwaway Lua state, so osactor send refuses exactly what the
 * receiving actor could not decode, before anything is sent.
 */

/* 0 when s is one JSON value; else -1, with why and where on stderr. */
static int
ctl_json_check(const char *s)
{
	lua_State	*L;
	char		 err[256];
	int		 rv;

	if ((L = luaL_newstate()) == NULL) {
		fprintf(stderr, "osactor: out of memory\n");
		return -1;
	}
	rv = json_decode_push(L, s, strlen(s), err, sizeof(err));
	lua_close(L);
	if (rv == -1)
		fprintf(stderr, "osactor: %s%s\n", strncmp(err, "invalid JSON",
		    12) == 0 ? "" : "invalid JSON: ", err);
	return rv == -1 ? -1 : 0;
}

/* Talking to the app */

/*
 * The peer at path may serve us: our uid, root, or, when we are root, the
 * owner of the socket's folder (an app root started with --user).
 */
static int
ctl_trusted(uid_t peer, const char *path)
{
	struct stat	 st;
	char		*dir;
	int		 ok;

	if (peer == geteuid() || peer == 0)
		return 1;
	if (geteuid() != 0)
		return 0;
	dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	ok = lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == peer;
	free(dir);
	return ok;
}

/* connect(2) c->fd to path: 0 or an errno. */
static int
ctl_try(struct ctl *c, const char *path)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };

	strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	if (c->fd != -1)
		close(c->fd);
	if ((c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		fatal("socket");
	if (connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		return errno;
	return 0;
}

/* Connect to the app's socket: 0, or the exit status to give up with. */
static int
ctl_connect(struct ctl *c)
{
	struct ucred		 cred;
	socklen_t		 len = sizeof(cred);
	char			*path, *alt, *err = NULL;
	int			 e;

	if ((c->abs = realpath(c->dir, NULL)) == NULL) {
		e = errno;
		if (e != ENOENT && e != ENOTDIR) {
			fprintf(stderr, "osactor: %s: %s\n", c->dir,
			    strerror(e));
			return 1;
		}
		fprintf(stderr, "osactor: no app running in %s (%s)\n", c->dir,
		    strerror(e));
		return EX_UNAVAILABLE;
	}
	if ((path = control_path(c->abs, ".sock", &err)) == NULL) {
		fprintf(stderr, "osactor: %s\n", err);
		free(err);
		return 1;
	}
	e = ctl_try(c, path);
	/* Not in root's folder: maybe root runs it with --user. */
	if ((e == ENOENT || e == ECONNREFUSED) &&
	    (alt = control_user_path(c->abs)) != NULL) {
		free(path);
		path = alt;
		e = ctl_try(c, path);
	}
	if (e != 0) {
		if (e == ENOENT || e == ECONNREFUSED || e == ENOTDIR)
			fprintf(stderr, "osactor: no app running in %s\n",
			    c->abs);
		else
			fprintf(stderr, "osactor: %s: %s\n", path, strerror(e));
		free(path);
		return e == ENOENT || e == ECONNREFUSED || e == ENOTDIR ?
		    EX_UNAVAILABLE : 1;
	}
	if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1)
		fatal("SO_PEERCRED");
	e = ctl_trusted(cred.uid, path);
	free(path);
	if (!e) {
		fprintf(stderr, "osactor: the control socket of %s belongs to "
		    "uid %u\n", c->abs, (unsigned)cred.uid);
		return 1;
	}
	return 0;
}

static int
ctl_send_all(struct ctl *c, const struct wbuf *b)
{
	size_t	 off = 0;
	ssize_t	 n;

	while (off < b->len) {
		n = send(c->fd, b->data + off, b->len - off, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		/* Refused at once: the reason may be waiting to be read. */
		if (n == -1 && (errno == EPIPE || errno == ECONNRESET))
			return 0;
		if (n == -1) {
			fprintf(stderr, "osactor: %s: %s\n", c->abs,
			    strerror(errno));
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

/*
 * The next frame: 0 with h and body set, 1 on end of file, -1 after
 * saying why.  timeout is in ms per wait, -1 for none.
 */
static int
ctl_recv(struct ctl *c, struct frame_hdr *h, struct rbuf *body, int timeout)
{
	struct pollfd	 pfd = { c->fd, POLLIN, 0 };
	ssize_t		 n;
	int		 rv;

	for (;;) {
		if ((rv = frame_next(&c->in, h, body, FRAME_MAX_BODY)) == 1)
			return 0;
		if (rv == -1) {
			fprintf(stderr, "osactor: %s: bad reply (%s)\n", c->abs,
			    strerror(errno));
			return -1;
		}
		if ((rv = poll(&pfd, 1, timeout)) == 0) {
			fprintf(stderr, "osactor: no answer from the app in "
			    "%s\n", c->abs);
			return -1;
		}
		if (rv == -1 && errno == EINTR)
			continue;
		if (rv == -1)
			fatal("poll");
		wbuf_reserve(&c->in, 64U << 10);
		n = recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len,
		    0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0 || (n == -1 && errno == ECONNRESET))
			return 1;
		if (n == -1)
			fatal("recv");
		c->in.len += (size_t)n;
	}
}

/* Output */

/*
 * s made safe for a terminal: printable ASCII and UTF-8 stay, "\\" and
 * every other byte (controls, C1, broken UTF-8) become \ooo; so do
 * spaces in a cell, or the table's columns would be ambiguous.
 */
static char *
ctl_vis(struct ctl_str s, int cell)
{
	const unsigned char	*p = (const unsigned char *)s.p;
	char			*out, *o;
	size_t			 i, len;

	if (s.n == 0)
		return xstrdup("-");
	if (s.n > (SIZE_MAX - 1) / 4)
		fatalx("string too long");
	o = out = xmalloc(4 * s.n + 1);
	for (i = 0; i < s.n; i += len) {
		len = utf8_len(p + i, s.n - i);
		if (len > 1 && !(p[i] == 0xc2 && p[i + 1] < 0xa0)) {
			memcpy(o, p + i, len);
			o += len;
			continue;
		}
		len = 1;
		if (p[i] > (cell ? 0x20 : 0x1f) && p[i] < 0x7f && p[i] != '\\')
			*o++ = (char)p[i];
		else
			o += snprintf(o, 5, "\\%03o", p[i]);
	}
	*o = '\0';
	return out;
}

/* s as a JSON string; bytes that are not UTF-8 become U+FFFD. */
static void
ctl_json_str(FILE *f, struct ctl_str s)
{
	const unsigned char	*p = (const unsigned char *)s.p;
	size_t			 i, len;

	putc('"', f);
	for (i = 0; i < s.n; i += len) {
		len = 1;
		if (p[i] == '"' || p[i] == '\\')
			fprintf(f, "\\%c", p[i]);
		else if (p[i] == '\n')
			fputs("\\n", f);
		else if (p[i] == '\t')
			fputs("\\t", f);
		else if (p[i] < 0x20 || p[i] == 0x7f)
			fprintf(f, "\\u%04x", p[i]);
		else if ((len = utf8_len(p + i, s.n - i)) == 0) {
			fputs("\\ufffd", f);
			len = 1;
		} else
			fwrite(p + i, 1, len, f);
	}
	putc('"', f);
}

static void
ctl_json_opt_str(FILE *f, const char *key, struct ctl_str s)
{
	fprintf(f, ",\"%s\":", key);
	if (s.n == 0)
		fputs("null", f);
	else
		ctl_json_str(f, s);
}

static void
ctl_json_num(FILE *f, const char *key, uint64_t v, int secs)
{
	if (v == CTL_UNKNOWN)
		fprintf(f, ",\"%s\":null", key);
	else if (secs)
		fprintf(f, ",\"%s\":%llu.%03llu", key,
		    (unsigned long long)(v / 1000000000ULL),
		    (unsigned long long)(v % 1000000000ULL / 1000000ULL));
	else
		fprintf(f, ",\"%s\":%llu", key, (unsigned long long)v);
}

static void
ctl_json_row(FILE *f, const struct ctl_row *r)
{
	uint32_t	 i;

	fputs("{\"pid\":", f);
	if (r->pid.n == 0)
		fputs("null", f);
	else
		ctl_json_str(f, r->pid);
	ctl_json_num(f, "os_pid", r->ospid != 0 ? r->ospid : CTL_UNKNOWN, 0);
	fputs(",\"entry\":", f);
	ctl_json_str(f, r->entry);
	fputs(",\"host\":", f);
	ctl_json_str(f, r->host);
	ctl_json_opt_str(f, "service", r->service);
	fputs(",\"names\":[", f);
	for (i = 0; i < r->nnames; i++) {
		if (i > 0)
			putc(',', f);
		ctl_json_str(f, r->names[i]);
	}
	fputs("],\"state\":", f);
	ctl_json_str(f, r->state);
	ctl_json_num(f, "queued", r->queued, 0);
	ctl_json_num(f, "rss_bytes", r->rss, 0);
	ctl_json_num(f, "cpu_seconds", r->cpu, 1);
	ctl_json_num(f, "uptime_seconds", r->uptime, 1);
	ctl_json_num(f, "restarts", r->restarts, 0);
	ctl_json_num(f, "delivered", r->delivered, 0);
	ctl_json_num(f, "taken", r->taken, 0);
	putc('}', f);
}

static char *
ctl_fmt_size(uint64_t v)
{
	static const char	 units[] = "KMGTPE";
	double			 d = (double)v;
	char			*s;
	int			 u = -1;

	if (v == CTL_UNKNOWN)
		return xstrdup("-");
	if (v < 1024) {
		xasprintf(&s, "%llu", (unsigned long long)v);
		return s;
	}
	while (d >= 1024 && u < 5) {
		d /= 1024;
		u++;
	}
	xasprintf(&s, d < 10 ? "%.1f%c" : "%.0f%c", d, units[u]);
	return s;
}

/* 45s, 12m03s, 3h07m, 2d04h. */
static char *
ctl_fmt_uptime(uint64_t ns)
{
	unsigned long long	 s = ns / 1000000000ULL;
	char			*out;

	if (ns == CTL_UNKNOWN)
		return xstrdup("-");
	if (s < 60)
		xasprintf(&out, "%llus", s);
	else if (s < 3600)
		xasprintf(&out, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		xasprintf(&out, "%lluh%02llum", s / 3600, s % 3600 / 60);
	else
		xasprintf(&out, "%llud%02lluh", s / 86400, s % 86400 / 3600);
	return out;
}

static char *
ctl_fmt_cpu(uint64_t ns)
{
	char	*s;

	if (ns == CTL_UNKNOWN)
		return xstrdup("-");
	xasprintf(&s, "%llu.%02llus", (unsigned long long)(ns / 1000000000ULL),
	    (unsigned long long)(ns % 1000000000ULL / 10000000ULL));
	return s;
}

static char *
ctl_fmt_names(const struct ctl_row *r)
{
	char	*s = NULL, *v, *t;
	uint32_t i;

	if (r->nnames == 0)
		return xstrdup("-");
	for (i = 0; i < r->nnames; i++) {
		v = ctl_vis(r->names[i], 1);
		if (s == NULL)
			t = xstrdup(v);
		else
			xasprintf(&t, "%s,%s", s, v);
		free(s);
		free(v);
		s = t;
	}
	return s;
}

/* The cells of one row of the table. */
static void
ctl_cells(const struct ctl_row *r, char **cell)
{
	char	*s;

	cell[0] = ctl_vis(r->pid, 1);
	if (r->ospid == 0)
		s = xstrdup("-");
	else
		xasprintf(&s, "%u", r->ospid);
	cell[1] = s;
	cell[2] = ctl_vis(r->entry, 1);
	cell[3] = ctl_vis(r->host, 1);
	cell[4] = ctl_vis(r->service, 1);
	cell[5] = ctl_fmt_names(r);
	cell[6] = ctl_vis(r->state, 1);
	xasprintf(&cell[7], "%llu", (unsigned long long)r->queued);
	cell[8] = ctl_fmt_size(r->rss);
	cell[9] = ctl_fmt_cpu(r->cpu);
	cell[10] = ctl_fmt_uptime(r->uptime);
	xasprintf(&cell[11], "%llu", (unsigned long long)r->restarts);
}

/* Columns a cell takes: its UTF-8 characters (ctl_vis left no others). */
static size_t
ctl_width(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void
ctl_pad(size_t n)
{
	while (n-- > 0)
		putchar(' ');
}

/* Aligned columns under a header; numbers to the right. */
static void
ctl_table(const struct ctl_row *rows, uint32_t n)
{
	static const char *const head[CTL_NCOLS] = { "PID", "OSPID", "ENTRY",
	    "HOST", "SERVICE", "NAMES", "STATE", "QUEUED", "RSS", "CPU",
	    "UPTIME", "RESTARTS" };
	static const int	 right[CTL_NCOLS] = { 0, 1, 0, 0, 0, 0, 0, 1, 1,
	    1, 1, 1 };
	char			**cell, *x;
	size_t			  w[CTL_NCOLS], i, k, len;

	cell = xcalloc(((size_t)n + 1) * CTL_NCOLS, sizeof(*cell));
	for (k = 0; k < CTL_NCOLS; k++)
		cell[k] = xstrdup(head[k]);
	for (i = 0; i < n; i++)
		ctl_cells(&rows[i], cell + (i + 1) * CTL_NCOLS);
	for (k = 0; k < CTL_NCOLS; k++)
		for (w[k] = 0, i = 0; i <= n; i++)
			if ((len = ctl_width(cell[i * CTL_NCOLS + k])) > w[k])
				w[k] = len;
	for (i = 0; i <= n; i++) {
		for (k = 0; k < CTL_NCOLS; k++) {
			x = cell[i * CTL_NCOLS + k];
			if (right[k])
				ctl_pad(w[k] - ctl_width(x));
			fputs(x, stdout);
			if (!right[k] && k + 1 < CTL_NCOLS)
				ctl_pad(w[k] - ctl_width(x));
			fputs(k + 1 < CTL_NCOLS ? "  " : "\n", stdout);
		}
	}
	for (i = 0; i < ((size_t)n + 1) * CTL_NCOLS; i++)
		free(cell[i]);
	free(cell);
}

static int
ctl_get_str(struct rbuf *r, struct ctl_str *s)
{
	s->p = rbuf_str(r, &s->n);
	return s->p == NULL ? -1 : 0;
}

static int
ctl_get_row(struct rbuf *r, struct ctl_row *row)
{
	uint32_t	 i;

	row->kind = rbuf_u8(r);
	if (ctl_get_str(r, &row->pid) == -1)
		return -1;
	row->ospid = rbuf_u32(r);
	if (ctl_get_str(r, &row->entry) == -1 ||
	    ctl_get_str(r, &row->host) == -1 ||
	    ctl_get_str(r, &row->service) == -1)
		return -1;
	row->nnames = rbuf_u32(r);
	if (r->err || row->nnames > rbuf_left(r) / 4)
		return -1;
	row->names = xcalloc(row->nnames + 1, sizeof(*row->names));
	for (i = 0; i < row->nnames; i++)
		if (ctl_get_str(r, &row->names[i]) == -1)
			return -1;
	if (ctl_get_str(r, &row->state) == -1)
		return -1;
	row->queued = rbuf_u64(r);
	row->rss = rbuf_u64(r);
	row->cpu = rbuf_u64(r);
	row->uptime = rbuf_u64(r);
	row->restarts = rbuf_u64(r);
	row->delivered = rbuf_u64(r);
	row->taken = rbuf_u64(r);
	return r->err || row->kind > CTL_ROW_SERVICE ? -1 : 0;
}

/*
 * The PS answer: rows as a table, then the app's dead letters; or the rows
 * as a JSON array with --json.
 */
static int
ctl_ps_print(struct ctl *c, struct rbuf *r)
{
	struct ctl_row	*rows;
	uint32_t	 n, i;
	uint64_t	 dead;
	int		 rv = 0;

	n = rbuf_u32(r);
	/* Each row is at least 85 bytes: no allocation beyond the body. */
	if (r->err || n > rbuf_left(r) / 85)
		return -1;
	rows = xcalloc((size_t)n + 1, sizeof(*rows));
	for (i = 0; i < n && rv == 0; i++)
		rv = ctl_get_row(r, &rows[i]);
	dead = rbuf_u64(r);
	if (rv == 0 && rbuf_end(r) == -1)
		rv = -1;
	if (rv == 0 && c->json) {
		fputs("[\n", stdout);
		for (i = 0; i < n; i++) {
			ctl_json_row(stdout, &rows[i]);
			fputs(i + 1 < n ? ",\n" : "\n", stdout);
		}
		fputs("]\n", stdout);
	} else if (rv == 0) {
		ctl_table(rows, n);
		printf("dead letters: %llu\n", (unsigned long long)dead);
	}
	for (i = 0; i < n; i++)
		free(rows[i].names);
	free(rows);
	return rv;
}

/* The reply to our request: the exit status to leave with. */
static int
ctl_reply(struct ctl *c, uint16_t type)
{
	struct frame_hdr h;
	struct rbuf	 r;
	struct ctl_str	 kind, msg;
	int		 rv;
	char		*s;

	if ((rv = ctl_recv(c, &h, &r, CTL_WAIT_MS)) != 0) {
		if (rv == 1)
			fprintf(stderr, "osactor: the app in %s closed the "
			    "connection\n", c->abs);
		return 1;
	}
	if (h.type != FRAME_CTL_REPLY || (h.ref != 1 && h.ref != 0))
		goto bad;
	if (rbuf_u8(&r) == PROTO_ERROR) {
		if (ctl_get_str(&r, &kind) == -1 ||
		    ctl_get_str(&r, &msg) == -1 || rbuf_end(&r) == -1)
			goto bad;
		s = ctl_vis(msg, 0);
		fprintf(stderr, "osactor: %s\n", s);
		free(s);
		return 1;
	}
	if (r.err || h.ref == 0)
		goto bad;
	if (type == FRAME_CTL_PS && ctl_ps_print(c, &r) == 0)
		return 0;
	if (type != FRAME_CTL_PS && rbuf_end(&r) == 0)
		return 0;
bad:
	fprintf(stderr, "osactor: %s: malformed reply (type %u)\n", c->abs,
	    h.type);
	return 1;
}

/* The request for cmd and its operands into b; -1 on a usage error. */
static int
ctl_request(const char *cmd, int argc, char **argv, struct wbuf *b,
    uint16_t *type)
{
	size_t	 start;

	if (strcmp(cmd, "ps") == 0 && argc == 0)
		*type = FRAME_CTL_PS;
	else if (strcmp(cmd, "stop") == 0 && argc <= 1)
		*type = FRAME_CTL_STOP;
	else if (strcmp(cmd, "start") == 0 && argc == 1)
		*type = FRAME_CTL_START;
	else if (strcmp(cmd, "restart") == 0 && argc == 1)
		*type = FRAME_CTL_RESTART;
	else if (strcmp(cmd, "send") == 0 && argc == 3)
		*type = FRAME_CTL_SEND;
	else
		return -1;
	start = frame_begin(b, *type, 0, 0, 1);
	if (*type == FRAME_CTL_PS)
		wbuf_put_u8(b, 0);
	else if (*type != FRAME_CTL_SEND)
		wbuf_put_cstr(b, argc == 1 ? argv[0] : "");
	else {
		if (strlen(argv[0]) > NAME_MAX_LEN ||
		    strlen(argv[1]) > NAME_MAX_LEN) {
			fprintf(stderr, "osactor: name or topic longer than "
			    "%d bytes\n", NAME_MAX_LEN);
			return -2;
		}
		if (ctl_json_check(argv[2]) == -1)
			return -2;
		wbuf_put_cstr(b, argv[0]);
		wbuf_put_cstr(b, argv[1]);
		wbuf_put(b, argv[2], strlen(argv[2]));
	}
	if (b->len - start - FRAME_HDR_LEN > CTL_MAX_BODY) {
		fprintf(stderr, "osactor: request larger than %u bytes\n",
		    CTL_MAX_BODY);
		return -2;
	}
	return frame_finish(b, start) == -1 ? -2 : 0;
}

static int
ctl_opts_parse(struct ctl *c, int argc, char **argv)
{
	int	 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "+d:h", ctl_opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			c->dir = optarg;
			break;
		case 'j':
			if (strcmp(c->cmd, "ps") != 0)
				return -1;
			c->json = 1;
			break;
		case 'h':
			return -2;
		default:
			return -1;
		}
	}
	return optind;
}

/* Wait for the app to be gone: the supervisor closes us as it exits. */
static int
ctl_wait_exit(struct ctl *c)
{
	struct frame_hdr h;
	struct rbuf	 r;
	int		 rv;

	while ((rv = ctl_recv(c, &h, &r, -1)) == 0)
		;
	return rv == 1 ? 0 : 1;
}

/*
 * `osactor CMD [-d DIR] [--json] ARGS...`: argv[0] is CMD; dir is the
 * -d given before it.  Returns the exit status.
 */
int
ctl_main(const char *cmd, int argc, char **argv, const char *dir)
{
	struct ctl	 c = { cmd, dir, NULL, 0, -1, { 0 } };
	struct wbuf	 req = { 0 };
	uint16_t	 type = 0;
	int		 n, rv;

	if ((n = ctl_opts_parse(&c, argc, argv)) < 0)
		return ctl_usage(cmd, n == -2);
	if ((rv = ctl_request(cmd, argc - n, argv + n, &req, &type)) != 0) {
		wbuf_free(&req);
		return rv == -1 ? ctl_usage(cmd, 0) : EX_USAGE;
	}
	if ((rv = ctl_connect(&c)) == 0) {
		if (ctl_send_all(&c, &req) == -1)
			rv = 1;
		else
			rv = ctl_reply(&c, type);
		if (rv == 0 && type == FRAME_CTL_STOP && argc - n == 0)
			rv = ctl_wait_exit(&c);
	}
	if (c.fd != -1)
		close(c.fd);
	wbuf_free(&req);
	wbuf_free(&c.in);
	free(c.abs);
	if (fflush(stdout) == EOF && rv == 0) {
		fprintf(stderr, "osactor: stdout: %s\n", strerror(errno));
		rv = 1;
	}
	return rv;
}
