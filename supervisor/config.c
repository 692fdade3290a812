/*
 * config.c: load an app folder (every *.yaml under it, API.md section 7)
 * into a validated struct app.  It only reads files: nothing is started,
 * so `osactor check` and `osactor run` share it.  Every problem becomes
 * one "file:line:column: message" line and loading goes on, so a user
 * sees all of them at once.  The YAML comes from outside: files, nesting,
 * node counts and list lengths are capped before anything trusts them.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <yaml.h>

#include "config.h"
#include "typestrip.h"
#include "duration.h"
#include "proto.h"
#include "xmalloc.h"

#define CONFIG_FILE_MAX		(4U << 20)	/* one yaml or Lua file */
#define CONFIG_TOTAL_MAX	(16U << 20)	/* all yaml files together */
#define CONFIG_MAX_DEPTH	64		/* YAML nesting */
#define CONFIG_MAX_EVENTS	200000		/* YAML events in one file */
#define CONFIG_MAX_ERRORS	20
#define CONFIG_MAX_FILES	1000
#define CONFIG_MAX_DIRDEPTH	16
#define CONFIG_MAX_ENTRIES	10000
#define CONFIG_MAX_LIST		1000	/* modules, imports, requires, input */
#define CONFIG_QUOTE_MAX	80	/* bytes of a value in a message */
#define CONFIG_QUOTE_BUF	(CONFIG_QUOTE_MAX + 16)
#define CONFIG_NQUOTE		4	/* quoted values alive at once */
#define CONFIG_CYCLE_MAX	400	/* bytes of a cycle in a message */
#define NONE			SIZE_MAX

#define K(k)		(1U << (k))
#define K_HOSTS		(K(ENTRY_TERMINAL_HOST) | K(ENTRY_PROCESS_HOST))
#define K_LUA		(K(ENTRY_PROCESS_LUA) | K(ENTRY_LIBRARY_LUA))
#define K_SERVICE	K(ENTRY_PROCESS_SERVICE)
#define K_ANY		(K_HOSTS | K_LUA | K_SERVICE)

struct mark {
	const char	*file;		/* shown path, owned by the loader */
	int		 line;		/* 1-based; 0 = the whole file */
	int		 col;
};

/* What the checks across entries need once the YAML documents are gone. */
struct eref {
	struct mark	  at;		/* the entry's mapping */
	struct mark	  name_at;
	struct mark	  process_at;
	struct mark	  host_at;
	struct mark	 *import_at;
	struct mark	 *require_at;
	size_t		 *import_to;	/* entry index per import, or NONE */
	size_t		 *require_to;
	int		  broken;	/* had errors: its kind may be wrong */
	int		  have_requires;
};

struct loader {
	const char	 *dir;		/* the app folder as the user gave it */
	struct app	 *app;
	struct eref	 *refs;		/* one per app->entries */
	size_t		  cap;		/* of refs and app->entries */
	char		**files;	/* yaml paths relative to the app */
	char		**shown;	/* the same as shown in messages */
	size_t		  nfiles;
	int		  toomany;	/* files past CONFIG_MAX_FILES */
	int		  toomany_entries;
	size_t		  filecap;
	size_t		  total;	/* yaml bytes read so far */
	char		 *errs;
	size_t		  errlen;
	int		  nerr;
	lua_State	 *L;
	char		**compiled;	/* Lua files already checked */
	size_t		  ncompiled;

	/* The yaml file being walked. */
	const char	 *file;
	const char	 *rel;
	const char	 *buf;
	size_t		  buflen;
	yaml_document_t	 *doc;
	char		 *ns;

	/* The entry being walked. */
	struct entry	 *e;
	struct eref	 *r;
	char		  qid[CONFIG_QUOTE_BUF];

	char		  quoted[CONFIG_NQUOTE][CONFIG_QUOTE_BUF];
	unsigned	  qnext;
};

struct field {
	const char	*name;
	unsigned	 kinds;		/* K() mask; 0 = any */
	int		(*load)(struct loader *, const char *, yaml_node_t *);
};

static const char *const kind_names[] = {
	[ENTRY_TERMINAL_HOST] = "terminal.host",
	[ENTRY_PROCESS_HOST] = "process.host",
	[ENTRY_PROCESS_LUA] = "process.lua",
	[ENTRY_LIBRARY_LUA] = "library.lua",
	[ENTRY_PROCESS_SERVICE] = "process.service",
};
#define NKINDS	((int)(sizeof(kind_names) / sizeof(kind_names[0])))

const char *
entry_kind_name(enum entry_kind k)
{
	if ((int)k < 0 || (int)k >= NKINDS)
		return "unknown";
	return kind_names[k];
}

static int
kind_find(const char *s)
{
	int	 k;

	for (k = 0; k < NKINDS; k++)
		if (strcmp(kind_names[k], s) == 0)
			return k;
	return -1;
}

/* ---- messages ---- */

/* A value for a message: quoted, escaped, cut short at a character edge. */
static const char *
q(struct loader *ld, const char *s)
{
	char		*out = ld->quoted[ld->qnext++ % CONFIG_NQUOTE];
	size_t		 o = 0, i, n = strlen(s);
	unsigned char	 c;

	out[o++] = '"';
	for (i = 0; i < n && o < CONFIG_QUOTE_MAX; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	if (i < n) {
		/* Bytes >= 0x80 were copied one for one. */
		while (i > 0 && o > 1 && ((unsigned char)s[i] & 0xc0) == 0x80) {
			i--;
			o--;
		}
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

static void
errs_append(struct loader *ld, const char *line)
{
	size_t	 n = strlen(line);

	ld->errs = xrealloc(ld->errs, ld->errlen + n + 2);
	if (ld->errlen > 0)
		ld->errs[ld->errlen++] = '\n';
	memcpy(ld->errs + ld->errlen, line, n + 1);
	ld->errlen += n;
}

/* One error line; past the cap, one last line says the rest was dropped. */
static void
cfg_verr(struct loader *ld, const struct mark *m, const char *fmt, va_list ap)
{
	char	*msg, *line, *p;

	if (ld->nerr > CONFIG_MAX_ERRORS)
		return;
	if (ld->nerr++ == CONFIG_MAX_ERRORS) {
		xasprintf(&line, "%s: too many errors; only the first %d are "
		    "shown", ld->dir, CONFIG_MAX_ERRORS);
	} else {
		if (vasprintf(&msg, fmt, ap) == -1)
			fatal("vasprintf");
		if (m->line > 0 && m->col > 0)
			xasprintf(&line, "%s:%d:%d: %s", m->file, m->line,
			    m->col, msg);
		else if (m->line > 0)
			xasprintf(&line, "%s:%d: %s", m->file, m->line, msg);
		else
			xasprintf(&line, "%s: %s", m->file, msg);
		free(msg);
	}
	/* One error, one line, whatever bytes a path or a value held. */
	for (p = line; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	errs_append(ld, line);
	free(line);
}

static void __attribute__((format(printf, 3, 4)))
cfg_err(struct loader *ld, const struct mark *m, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cfg_verr(ld, m, fmt, ap);
	va_end(ap);
}

static struct mark
node_mark(const struct loader *ld, const yaml_node_t *n)
{
	struct mark	 m;

	m.file = ld->file;
	m.line = n ? (int)n->start_mark.line + 1 : 1;
	m.col = n ? (int)n->start_mark.column + 1 : 1;
	return m;
}

/* An error at a node; `named` says the message already names the entry. */
static void
cfg_vnerr(struct loader *ld, const yaml_node_t *n, int named,
    const char *fmt, va_list ap)
{
	struct mark	 m = node_mark(ld, n);
	char		*msg;

	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("vasprintf");
	if (ld->e != NULL && !named)
		cfg_err(ld, &m, "%s (entry %s)", msg, ld->qid);
	else
		cfg_err(ld, &m, "%s", msg);
	free(msg);
	if (ld->r != NULL)
		ld->r->broken = 1;
}

static void __attribute__((format(printf, 3, 4)))
cfg_nerr(struct loader *ld, const yaml_node_t *n, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cfg_vnerr(ld, n, 0, fmt, ap);
	va_end(ap);
}

/* For messages that name where they are ("in lifecycle of entry ..."). */
static void __attribute__((format(printf, 3, 4)))
cfg_werr(struct loader *ld, const yaml_node_t *n, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cfg_vnerr(ld, n, 1, fmt, ap);
	va_end(ap);
}

/* ---- paths and files ---- */

static char *
path_shown(const char *dir, const char *rel)
{
	size_t	 n = strlen(dir);
	char	*s;

	if (strcmp(dir, ".") == 0 || strcmp(dir, "./") == 0)
		return xstrdup(rel);
	if (n > 0 && dir[n - 1] == '/')
		xasprintf(&s, "%s%s", dir, rel);
	else
		xasprintf(&s, "%s/%s", dir, rel);
	return s;
}

/* `path` relative to `root`, or NULL when it is not strictly below it. */
static const char *
path_below(const char *root, const char *path)
{
	size_t	 n = strlen(root);

	if (strcmp(root, "/") == 0)
		return path[0] == '/' && path[1] != '\0' ? path + 1 : NULL;
	if (strncmp(path, root, n) != 0 || path[n] != '/' ||
	    path[n + 1] == '\0')
		return NULL;
	return path + n + 1;
}

/*
 * The whole of a regular file of at most `max` bytes, NUL-terminated.
 * O_NONBLOCK keeps a FIFO named like a source from hanging the loader.
 */
static char *
file_slurp(const char *path, size_t max, size_t *lenp, const char **why)
{
	struct stat	 st;
	char		*buf = NULL;
	size_t		 len = 0, cap;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
	    O_NOCTTY)) == -1) {
		*why = strerror(errno);
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		*why = strerror(errno);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		goto fail;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > max) {
		*why = "file too large (the limit is 4 MiB)";
		goto fail;
	}
	cap = (size_t)st.st_size + 1;
	buf = xmalloc(cap + 1);
	for (;;) {
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*why = strerror(errno);
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			*why = "file too large (the limit is 4 MiB)";
			goto fail;
		}
		if (len == cap) {
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* ---- finding the yaml files ---- */

static int
file_cmp(const void *a, const void *b)
{
	const char	*x = *(const char *const *)a;
	const char	*y = *(const char *const *)b;

	/* The top _index.yaml goes first: it names the app. */
	if (strcmp(x, "_index.yaml") == 0)
		return strcmp(y, "_index.yaml") == 0 ? 0 : -1;
	if (strcmp(y, "_index.yaml") == 0)
		return 1;
	return strcmp(x, y);
}

static int
name_is_yaml(const char *name)
{
	size_t	 n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

static void
dir_error(struct loader *ld, const char *rel, const char *msg)
{
	struct mark	 m;
	char		*s;

	s = rel ? path_shown(ld->dir, rel) : xstrdup(ld->dir);
	m.file = s;
	m.line = m.col = 0;
	cfg_err(ld, &m, "%s", msg);
	free(s);
}

static void
dir_add(struct loader *ld, char *rel)
{
	if (ld->nfiles == CONFIG_MAX_FILES) {
		if (!ld->toomany)
			dir_error(ld, NULL, "too many yaml files (the limit "
			    "is 1000)");
		ld->toomany = 1;
		free(rel);
		return;
	}
	if (ld->nfiles == ld->filecap) {
		ld->filecap = ld->filecap ? ld->filecap * 2 : 16;
		ld->files = xrealloc(ld->files, ld->filecap * sizeof(char *));
	}
	ld->files[ld->nfiles++] = rel;
}

static void	dir_scan(struct loader *, int, const char *, int);

/* One name in a folder: recurse into real folders, keep yaml files. */
static void
dir_visit(struct loader *ld, int dfd, char *rel, const char *name,
    int depth)
{
	struct stat	 st;
	int		 fd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		dir_error(ld, rel, strerror(errno));
		free(rel);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		/* Symlinked folders are skipped: they could loop. */
		if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC | O_NOFOLLOW)) == -1)
			dir_error(ld, rel, strerror(errno));
		else
			dir_scan(ld, fd, rel, depth + 1);
		free(rel);
		return;
	}
	if (name_is_yaml(name) && S_ISLNK(st.st_mode) &&
	    fstatat(dfd, name, &st, 0) == -1) {
		dir_error(ld, rel, strerror(errno));
		free(rel);
		return;
	}
	if (name_is_yaml(name) && S_ISREG(st.st_mode))
		dir_add(ld, rel);
	else
		free(rel);
}

/* Takes `dfd`.  Dot files are skipped: editors and git keep theirs there. */
static void
dir_scan(struct loader *ld, int dfd, const char *rel, int depth)
{
	DIR		*d;
	struct dirent	*de;
	char		*child;

	if (depth > CONFIG_MAX_DIRDEPTH) {
		dir_error(ld, rel, "folders nested too deep (the limit is 16)");
		close(dfd);
		return;
	}
	if ((d = fdopendir(dfd)) == NULL) {
		dir_error(ld, rel, strerror(errno));
		close(dfd);
		return;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (de->d_name[0] == '.')
			continue;
		if (rel != NULL)
			xasprintf(&child, "%s/%s", rel, de->d_name);
		else
			child = xstrdup(de->d_name);
		dir_visit(ld, dirfd(d), child, de->d_name, depth);
	}
	if (errno != 0)
		dir_error(ld, rel, strerror(errno));
	closedir(d);
}

static int
dir_open(struct loader *ld)
{
	char	 msg[256];
	int	 fd;

	if ((ld->app->dir = realpath(ld->dir, NULL)) == NULL ||
	    (fd = open(ld->app->dir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		snprintf(msg, sizeof(msg), "cannot open the app folder: %s",
		    strerror(errno));
		dir_error(ld, NULL, msg);
		return -1;
	}
	dir_scan(ld, fd, NULL, 0);
	if (ld->nfiles == 0 && ld->nerr == 0) {
		dir_error(ld, NULL, "no *.yaml file in the app folder");
		return -1;
	}
	qsort(ld->files, ld->nfiles, sizeof(char *), file_cmp);
	return 0;
}

/* ---- YAML values ---- */

static yaml_node_t *
node_get(struct loader *ld, int i)
{
	return yaml_document_get_node(ld->doc, i);
}

static const char *
node_text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static const char *
node_type(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "string";
	case YAML_SEQUENCE_NODE:
		return "list";
	case YAML_MAPPING_NODE:
		return "mapping";
	default:
		return "empty node";
	}
}

/* Plain "", "~" or "null": the field is left at its default, as in Go. */
static int
node_is_null(const yaml_node_t *n)
{
	const char	*s;

	if (n == NULL)
		return 1;
	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	s = node_text(n);
	return *s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

static const char *
node_str(struct loader *ld, const char *name, yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE) {
		cfg_nerr(ld, n, "\"%s\" must be a string, not a %s", name,
		    node_type(n));
		return NULL;
	}
	if (strlen(node_text(n)) != n->data.scalar.length) {
		cfg_nerr(ld, n, "\"%s\" contains a NUL byte", name);
		return NULL;
	}
	return node_text(n);
}

/* A plain scalar: quoting a number or a boolean makes it a string. */
static const char *
node_plain(struct loader *ld, const char *name, yaml_node_t *n,
    const char *want)
{
	const char	*s;

	if ((s = node_str(ld, name, n)) == NULL)
		return NULL;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		cfg_nerr(ld, n, "\"%s\" must be %s, not the quoted string %s",
		    name, want, q(ld, s));
		return NULL;
	}
	return s;
}

static int
node_bool(struct loader *ld, const char *name, yaml_node_t *n, int *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes",
	    "Yes", "YES", "on", "On", "ON" };
	static const char *const no[] = { "false", "False", "FALSE", "no",
	    "No", "NO", "off", "Off", "OFF" };
	const char	*s;
	size_t		 i;

	if ((s = node_plain(ld, name, n, "true or false")) == NULL)
		return -1;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(s, yes[i]) == 0 || strcmp(s, no[i]) == 0) {
			*out = strcmp(s, yes[i]) == 0;
			return 0;
		}
	}
	cfg_nerr(ld, n, "\"%s\" must be true or false, not %s", name, q(ld, s));
	return -1;
}

static int
node_int(struct loader *ld, const char *name, yaml_node_t *n, int64_t min,
    int64_t *out)
{
	const char	*s;
	char		*end;
	long long	 v;

	if ((s = node_plain(ld, name, n, "an integer")) == NULL)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || s[strspn(s, "+-0123456789")] != '\0') {
		cfg_nerr(ld, n, "\"%s\" must be an integer, not %s", name,
		    q(ld, s));
		return -1;
	}
	if (errno == ERANGE || v < min) {
		cfg_nerr(ld, n, "\"%s\" is out of range: %s (at least %lld)",
		    name, q(ld, s), (long long)min);
		return -1;
	}
	*out = v;
	return 0;
}

static int
node_double(struct loader *ld, const char *name, yaml_node_t *n, double min,
    double max, double *out)
{
	const char	*s;
	char		*end;
	double		 v;

	if ((s = node_plain(ld, name, n, "a number")) == NULL)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' ||
	    s[strspn(s, "+-.0123456789eE")] != '\0' || !isfinite(v)) {
		cfg_nerr(ld, n, "\"%s\" must be a number, not %s", name,
		    q(ld, s));
		return -1;
	}
	if (v < min || v > max) {
		cfg_nerr(ld, n, "\"%s\" must be between %g and %g, not %s",
		    name, min, max, q(ld, s));
		return -1;
	}
	*out = v;
	return 0;
}

static int
node_duration(struct loader *ld, const char *name, yaml_node_t *n,
    int64_t *out)
{
	const char	*s, *why;
	int64_t		 ns;

	if ((s = node_str(ld, name, n)) == NULL)
		return -1;
	if (duration_parse(s, strlen(s), &ns, &why) == -1) {
		cfg_nerr(ld, n, "bad duration %s for \"%s\": %s", q(ld, s),
		    name, why);
		return -1;
	}
	if (ns < 0) {
		cfg_nerr(ld, n, "\"%s\" must not be negative: %s", name,
		    q(ld, s));
		return -1;
	}
	*out = ns;
	return 0;
}

/* Bytes: an integer with an optional K/M/G/T (1024-based), KiB... or KB... */
static int
size_parse(const char *s, int64_t *out)
{
	static const struct {
		const char	*unit;
		int64_t		 mul;
	} units[] = {
		{ "", 1 }, { "B", 1 },
		{ "K", 1LL << 10 }, { "KiB", 1LL << 10 }, { "KB", 1000LL },
		{ "M", 1LL << 20 }, { "MiB", 1LL << 20 }, { "MB", 1000000LL },
		{ "G", 1LL << 30 }, { "GiB", 1LL << 30 },
		{ "GB", 1000000000LL },
		{ "T", 1LL << 40 }, { "TiB", 1LL << 40 },
		{ "TB", 1000000000000LL },
	};
	char		*end;
	long long	 v;
	size_t		 i;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) != 0)
			continue;
		if (v > INT64_MAX / units[i].mul)
			return -1;
		*out = v * units[i].mul;
		return 0;
	}
	return -1;
}

static int
node_size(struct loader *ld, const char *name, yaml_node_t *n, int64_t *out)
{
	const char	*s;

	if ((s = node_str(ld, name, n)) == NULL)
		return -1;
	if (size_parse(s, out) == -1) {
		cfg_nerr(ld, n, "\"%s\" must be a size like 512M, 64MiB, 1G or "
		    "a number of bytes, not %s", name, q(ld, s));
		return -1;
	}
	return 0;
}

/* Entry ids are "ns:name" and appear in "{host|0x...}" and "host/ns:name". */
static int
name_check(struct loader *ld, const char *name, yaml_node_t *n,
    const char *s)
{
	const char	*p;

	if (*s == '\0') {
		cfg_nerr(ld, n, "\"%s\" must not be empty", name);
		return -1;
	}
	if (strlen(s) > NAME_MAX_LEN / 2) {
		cfg_nerr(ld, n, "\"%s\" is too long (the limit is %d bytes)",
		    name, NAME_MAX_LEN / 2);
		return -1;
	}
	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f ||
		    strchr(":/|{}\"\\", *p) != NULL) {
			cfg_nerr(ld, n, "\"%s\" %s may not contain '%c', "
			    "spaces or control characters", name, q(ld, s),
			    (unsigned char)*p > ' ' ? *p : '?');
			return -1;
		}
	}
	return 0;
}

/* A list of strings; `marks` (optional) gets each item's position. */
static int
node_strlist(struct loader *ld, const char *name, yaml_node_t *n,
    int nonempty, char ***out, size_t *nout, struct mark **marks)
{
	yaml_node_item_t	*it;
	yaml_node_t		*v;
	size_t			 i, cnt;
	int			 bad = 0;

	if (n->type != YAML_SEQUENCE_NODE) {
		cfg_nerr(ld, n, "\"%s\" must be a list, not a %s", name,
		    node_type(n));
		return -1;
	}
	cnt = (size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start);
	if (cnt > CONFIG_MAX_LIST) {
		cfg_nerr(ld, n, "\"%s\" has %zu items (the limit is %d)", name,
		    cnt, CONFIG_MAX_LIST);
		return -1;
	}
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if ((v = node_get(ld, *it)) == NULL ||
		    node_str(ld, name, v) == NULL)
			bad = 1;
		else if (nonempty && *node_text(v) == '\0') {
			cfg_nerr(ld, v, "\"%s\" items must not be empty", name);
			bad = 1;
		}
	}
	if (bad)
		return -1;
	*out = xcalloc(cnt, sizeof(char *));
	if (marks != NULL)
		*marks = xcalloc(cnt, sizeof(struct mark));
	for (i = 0; i < cnt; i++) {
		v = node_get(ld, n->data.sequence.items.start[i]);
		(*out)[i] = xstrdup(node_text(v));
		if (marks != NULL)
			(*marks)[i] = node_mark(ld, v);
	}
	*nout = cnt;
	return 0;
}

/* ---- mappings ---- */

static yaml_node_t *
map_get(struct loader *ld, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*k, *v;

	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = node_get(ld, p->key);
		if (k == NULL || k->type != YAML_SCALAR_NODE ||
		    strcmp(node_text(k), key) != 0)
			continue;
		v = node_get(ld, p->value);
		return node_is_null(v) ? NULL : v;
	}
	return NULL;
}

static int
map_want(struct loader *ld, const char *name, yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return 0;
	cfg_nerr(ld, n, "\"%s\" must be a mapping, not a %s", name,
	    node_type(n));
	return -1;
}

static int
field_find(const struct field *fields, const char *name)
{
	int	 i;

	for (i = 0; fields[i].name != NULL; i++)
		if (strcmp(fields[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * Hands each known field of `map` to its loader.  `kind` is the entry's
 * K() bit (0 outside entries); `where` names the mapping in messages.
 */
static int
map_dispatch(struct loader *ld, yaml_node_t *map, const struct field *fields,
    unsigned kind, const char *where)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*k, *v;
	uint64_t		 seen = 0;
	int			 i, rc = 0;

	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = node_get(ld, p->key);
		v = node_get(ld, p->value);
		if (k == NULL || k->type != YAML_SCALAR_NODE) {
			cfg_werr(ld, k, "a field name in %s is a %s, not a "
			    "string", where, k ? node_type(k) : "nothing");
			rc = -1;
			continue;
		}
		i = field_find(fields, node_text(k));
		if (i == -1 || (kind != 0 && !(fields[i].kinds & kind))) {
			cfg_werr(ld, k, "unknown field %s in %s",
			    q(ld, node_text(k)), where);
			rc = -1;
		} else if (seen & (1ULL << i)) {
			cfg_werr(ld, k, "field %s appears twice in %s",
			    q(ld, node_text(k)), where);
			rc = -1;
		} else {
			seen |= 1ULL << i;
			if (!node_is_null(v) && fields[i].load != NULL &&
			    fields[i].load(ld, fields[i].name, v) == -1)
				rc = -1;
		}
	}
	return rc;
}

/* A nested mapping of the current entry: "restart" of entry "app:x". */
static int
map_nested(struct loader *ld, const char *name, yaml_node_t *n,
    const struct field *fields)
{
	char	 where[CONFIG_QUOTE_BUF + 64];

	if (map_want(ld, name, n) == -1)
		return -1;
	snprintf(where, sizeof(where), "\"%s\" of entry %s", name, ld->qid);
	return map_dispatch(ld, n, fields, 0, where);
}

/* ---- lifecycle ---- */

static int
lc_auto_start(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_bool(ld, name, n, &ld->e->lc.auto_start);
}

static int
lc_requires(struct loader *ld, const char *name, yaml_node_t *n)
{
	struct lifecycle	*lc = &ld->e->lc;

	if (ld->r->have_requires) {
		cfg_nerr(ld, n, "\"requires\" and \"depends_on\" are the "
		    "same list: give only one");
		return -1;
	}
	ld->r->have_requires = 1;
	return node_strlist(ld, name, n, 1, &lc->requires, &lc->nrequires,
	    &ld->r->require_at);
}

static int
lc_stop_timeout(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_duration(ld, name, n, &ld->e->lc.stop_timeout);
}

static int
lc_stable(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_duration(ld, name, n, &ld->e->lc.stable_threshold);
}

/* Not below the floor that keeps a failing service from spinning. */
static int
rs_initial(struct loader *ld, const char *name, yaml_node_t *n)
{
	int64_t	 *d = &ld->e->lc.restart.initial_delay;
	char	  min[DURATION_STRLEN];

	if (node_duration(ld, name, n, d) == -1)
		return -1;
	if (*d < RESTART_MIN_DELAY) {
		duration_format(RESTART_MIN_DELAY, min, sizeof(min));
		cfg_nerr(ld, n, "\"%s\" must be at least %s, not %s", name,
		    min, q(ld, node_text(n)));
		return -1;
	}
	return 0;
}

static int
rs_max(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_duration(ld, name, n, &ld->e->lc.restart.max_delay);
}

static int
rs_backoff(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_double(ld, name, n, 1.0, 1000.0,
	    &ld->e->lc.restart.backoff_factor);
}

static int
rs_jitter(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_double(ld, name, n, 0.0, 1.0, &ld->e->lc.restart.jitter);
}

static int
rs_attempts(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_int(ld, name, n, 0, &ld->e->lc.restart.max_attempts);
}

static const struct field restart_fields[] = {
	{ "initial_delay", 0, rs_initial },
	{ "max_delay", 0, rs_max },
	{ "backoff_factor", 0, rs_backoff },
	{ "jitter", 0, rs_jitter },
	{ "max_attempts", 0, rs_attempts },
	{ NULL, 0, NULL }
};

static int
lc_restart(struct loader *ld, const char *name, yaml_node_t *n)
{
	struct restart_policy	*rp = &ld->e->lc.restart;
	char			 a[DURATION_STRLEN], b[DURATION_STRLEN];

	if (map_nested(ld, name, n, restart_fields) == -1)
		return -1;
	if (rp->max_delay < rp->initial_delay) {
		duration_format(rp->max_delay, a, sizeof(a));
		duration_format(rp->initial_delay, b, sizeof(b));
		cfg_nerr(ld, n, "\"max_delay\" (%s) is shorter than "
		    "\"initial_delay\" (%s)", a, b);
		return -1;
	}
	return 0;
}

static const struct field lifecycle_fields[] = {
	{ "auto_start", 0, lc_auto_start },
	{ "requires", 0, lc_requires },
	{ "depends_on", 0, lc_requires },
	{ "stop_timeout", 0, lc_stop_timeout },
	{ "stable_threshold", 0, lc_stable },
	{ "restart", 0, lc_restart },
	{ NULL, 0, NULL }
};

static int
field_lifecycle(struct loader *ld, const char *name, yaml_node_t *n)
{
	return map_nested(ld, name, n, lifecycle_fields);
}

/* ---- hosts ---- */

static int
field_hide_logs(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_bool(ld, name, n, &ld->e->hide_logs);
}

static int
field_sandbox(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_bool(ld, name, n, &ld->e->sandbox);
}

static int
lim_memory(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_size(ld, name, n, &ld->e->limits.memory);
}

static int
lim_core(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_size(ld, name, n, &ld->e->limits.core);
}

static int
lim_open_files(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_int(ld, name, n, 0, &ld->e->limits.open_files);
}

static int
lim_processes(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_int(ld, name, n, 0, &ld->e->limits.processes);
}

/* RLIMIT_CPU counts whole seconds: a duration is rounded up to one. */
static int
lim_cpu_time(struct loader *ld, const char *name, yaml_node_t *n)
{
	int64_t		 ns;

	if (n->type == YAML_SCALAR_NODE &&
	    n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    node_text(n)[strspn(node_text(n), "0123456789")] == '\0')
		return node_int(ld, name, n, 1, &ld->e->limits.cpu_time);
	if (node_duration(ld, name, n, &ns) == -1)
		return -1;
	if (ns == 0) {
		cfg_nerr(ld, n, "\"%s\" must be at least 1s", name);
		return -1;
	}
	ld->e->limits.cpu_time = ns / 1000000000 + (ns % 1000000000 != 0);
	return 0;
}

static const struct field limits_fields[] = {
	{ "memory", 0, lim_memory },
	{ "cpu_time", 0, lim_cpu_time },
	{ "open_files", 0, lim_open_files },
	{ "processes", 0, lim_processes },
	{ "core", 0, lim_core },
	{ NULL, 0, NULL }
};

static int
field_limits(struct loader *ld, const char *name, yaml_node_t *n)
{
	return map_nested(ld, name, n, limits_fields);
}

/* ---- Lua sources ---- */

/*
 * Compiling code cut just after the token at `at` gives the same error
 * `full` again: the error is at that token, not at an earlier copy of it.
 */
static int
lua_error_at(struct loader *ld, const char *code, const char *at,
    size_t toklen, const char *full)
{
	const char	*m;
	int		 same = 0;

	if (typestrip_load(ld->L, code, (size_t)(at - code) + toklen,
	    "=src") != LUA_OK && (m = lua_tostring(ld->L, -1)) != NULL)
		same = strcmp(m, full) == 0;
	lua_settop(ld->L, 0);
	return same;
}

/*
 * The column of a Lua syntax error on line `line` of code, which Lua does
 * not give, from its message `full` ("src:LINE: ... near 'TOKEN'"): the
 * copy of TOKEN on that line after which a cut copy of the code fails the
 * same way (else its first copy); just past the line's end for "near
 * <eof>"; the line's first non-blank when there is no token, or it is not
 * on the line (a long string).  Counted in bytes from 1.
 */
static int
lua_error_col(struct loader *ld, const char *code, size_t len, int line,
    const char *full)
{
	const char	*bol = code, *eol, *eos = code + len, *near, *tok, *at;
	const char	*first = NULL;
	size_t		 toklen = 0, i;
	int		 l;

	for (l = 1; l < line && bol < eos; bol++)
		if (*bol == '\n')
			l++;
	if ((eol = memchr(bol, '\n', (size_t)(eos - bol))) == NULL)
		eol = eos;
	if ((near = strstr(full, " near ")) != NULL) {
		near += 6;
		if (strncmp(near, "<eof>", 5) == 0)
			return (int)(eol - bol) + 1;
		if (*near == '\'' && (tok = strrchr(near + 1, '\'')) != NULL)
			toklen = (size_t)(tok - near - 1);
	}
	for (at = bol; toklen > 0 && at + toklen <= eol; at++) {
		if (memcmp(at, near + 1, toklen) != 0)
			continue;
		if (first == NULL)
			first = at;
		if (lua_error_at(ld, code, at, toklen, full))
			return (int)(at - bol) + 1;
	}
	if (first != NULL)
		return (int)(first - bol) + 1;
	for (i = 0; bol + i < eol && (bol[i] == ' ' || bol[i] == '\t'); i++)
		;
	return bol + i < eol ? (int)i + 1 : 1;
}

/*
 * Compiles `code` in text mode.  On a syntax error, *line is the Lua line
 * (0 when the message has none), *col its column (typed-Lua annotations
 * give one; lua_error_col finds Lua's) and *msg the message without its
 * prefix.
 */
static int
lua_syntax(struct loader *ld, const char *code, size_t len, int *line,
    int *col, char **msg)
{
	const char	*m, *p;
	char		*end, *full;
	long		 l, c;

	*line = *col = 0;
	if (ld->L == NULL && (ld->L = luaL_newstate()) == NULL) {
		*msg = xstrdup("cannot create a Lua state to check it");
		return -1;
	}
	if (typestrip_load(ld->L, code, len, "=src") == LUA_OK) {
		lua_settop(ld->L, 0);
		return 0;
	}
	m = lua_tostring(ld->L, -1);
	if (m == NULL)
		m = "unknown error";
	p = m;
	if (strncmp(m, "src:", 4) == 0) {
		l = strtol(m + 4, &end, 10);
		if (end != m + 4 && l > 0 && l < INT_MAX && *end == ':') {
			*line = (int)l;
			p = end + 1;
			c = strtol(p, &end, 10);
			if (end != p && c > 0 && c < INT_MAX && *end == ':') {
				*col = (int)c;
				p = end + 1;
			}
			p += *p == ' ';
		}
	}
	*msg = xstrdup(p);
	if (*line > 0 && *col == 0) {
		full = xstrdup(m);
		lua_settop(ld->L, 0);
		*col = lua_error_col(ld, code, len, *line, full);
		free(full);
	}
	lua_settop(ld->L, 0);
	return -1;
}

/* luaL_loadfilex skips a UTF-8 BOM and a "#!" line, so the shim may too. */
static size_t
lua_skip_head(const char *buf, size_t len)
{
	size_t	 off = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	if (off < len && buf[off] == '#')
		while (off < len && buf[off] != '\n')
			off++;
	return off;
}

static int
lua_check_file(struct loader *ld, yaml_node_t *n, const char *given,
    const char *real)
{
	struct mark	 m;
	const char	*why;
	char		*buf, *msg, *shown;
	size_t		 i, len, off;
	int		 line, col, rc;

	for (i = 0; i < ld->ncompiled; i++)
		if (strcmp(ld->compiled[i], real) == 0)
			return 0;
	ld->compiled = xrealloc(ld->compiled,
	    (ld->ncompiled + 1) * sizeof(char *));
	ld->compiled[ld->ncompiled++] = xstrdup(real);
	if ((buf = file_slurp(real, CONFIG_FILE_MAX, &len, &why)) == NULL) {
		cfg_nerr(ld, n, "source file %s: %s", q(ld, given), why);
		return -1;
	}
	off = lua_skip_head(buf, len);
	if ((rc = lua_syntax(ld, buf + off, len - off, &line, &col,
	    &msg)) == -1) {
		/* Shown as the yaml files are: the app folder as given. */
		shown = path_shown(ld->dir, path_below(ld->app->dir, real));
		m.file = shown;
		m.line = line > 0 ? line : 1;
		/* A BOM is skipped but still counts on the first line. */
		m.col = line > 0 ? col + (line == 1 ? (int)off : 0) : 1;
		cfg_err(ld, &m, "%s", msg);
		free(shown);
		free(msg);
		ld->r->broken = 1;
	}
	free(buf);
	return rc;
}

/* Which column line `line` (1-based) of the yaml file starts its text at. */
static int
yaml_indent(const struct loader *ld, int line)
{
	size_t	 i = 0, col = 0;
	int	 l = 1;

	while (l < line && i < ld->buflen)
		if (ld->buf[i++] == '\n')
			l++;
	while (i + col < ld->buflen && ld->buf[i + col] == ' ')
		col++;
	return (int)col + 1;
}

/*
 * Inline code in a literal block (`source: |`) maps line for line onto the
 * yaml file, so its errors point there; other styles fold lines, so the
 * error points at the scalar and names the Lua line.
 */
static int
lua_check_inline(struct loader *ld, yaml_node_t *n)
{
	struct mark	 m;
	char		*msg;
	int		 line, col;

	if (lua_syntax(ld, node_text(n), n->data.scalar.length, &line, &col,
	    &msg) == 0)
		return 0;
	if (n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE && line > 0) {
		m.file = ld->file;
		m.line = (int)n->start_mark.line + 1 + line;
		m.col = yaml_indent(ld, m.line) + col - 1;
		cfg_err(ld, &m, "%s (inline source of entry %s)", msg, ld->qid);
		ld->r->broken = 1;
	} else
		cfg_nerr(ld, n, "%s, at line %d of the inline source", msg,
		    line > 0 ? line : 1);
	free(msg);
	return -1;
}

/* file://path: relative to this yaml file's folder, inside the app. */
static int
source_file(struct loader *ld, yaml_node_t *n, const char *path)
{
	struct stat	 st;
	const char	*slash;
	char		*cand, *real;
	int		 dlen;

	if (*path == '\0' || *path == '/') {
		cfg_nerr(ld, n, "source %s must name a file relative to the "
		    "yaml file", q(ld, node_text(n)));
		return -1;
	}
	slash = strrchr(ld->rel, '/');
	dlen = slash ? (int)(slash - ld->rel + 1) : 0;
	xasprintf(&cand, "%s/%.*s%s", ld->app->dir, dlen, ld->rel, path);
	real = realpath(cand, NULL);
	free(cand);
	if (real == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			cfg_nerr(ld, n, "source file %s not found",
			    q(ld, path));
		else
			cfg_nerr(ld, n, "source file %s: %s", q(ld, path),
			    strerror(errno));
		return -1;
	}
	if (path_below(ld->app->dir, real) == NULL) {
		cfg_nerr(ld, n, "source file %s is outside the app folder",
		    q(ld, path));
		free(real);
		return -1;
	}
	if (stat(real, &st) == -1 || !S_ISREG(st.st_mode)) {
		cfg_nerr(ld, n, "source file %s is not a regular file",
		    q(ld, path));
		free(real);
		return -1;
	}
	ld->e->source_path = real;
	return lua_check_file(ld, n, path, real);
}

static int
field_source(struct loader *ld, const char *name, yaml_node_t *n)
{
	const char	*s;

	if ((s = node_str(ld, name, n)) == NULL)
		return -1;
	if (strncmp(s, "file://", 7) == 0)
		return source_file(ld, n, s + 7);
	ld->e->source_code = xstrdup(s);
	return lua_check_inline(ld, n);
}

static int
field_method(struct loader *ld, const char *name, yaml_node_t *n)
{
	const char	*s;

	if ((s = node_str(ld, name, n)) == NULL)
		return -1;
	if (*s == '\0') {
		cfg_nerr(ld, n, "\"%s\" must not be empty", name);
		return -1;
	}
	ld->e->method = xstrdup(s);
	return 0;
}

static int
field_modules(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_strlist(ld, name, n, 1, &ld->e->modules,
	    &ld->e->nmodules, NULL);
}

static int
import_check(struct loader *ld, yaml_node_t *map, yaml_node_pair_t *p)
{
	yaml_node_pair_t	*o;
	yaml_node_t		*k, *v;

	k = node_get(ld, p->key);
	v = node_get(ld, p->value);
	if (k == NULL || v == NULL || node_str(ld, "imports", k) == NULL ||
	    node_str(ld, "imports", v) == NULL)
		return -1;
	if (*node_text(k) == '\0' || *node_text(v) == '\0') {
		cfg_nerr(ld, *node_text(k) ? v : k, "\"imports\" needs an "
		    "alias and a library id");
		return -1;
	}
	for (o = map->data.mapping.pairs.start; o < p; o++) {
		if ((v = node_get(ld, o->key)) != NULL &&
		    v->type == YAML_SCALAR_NODE &&
		    strcmp(node_text(v), node_text(k)) == 0) {
			cfg_nerr(ld, k, "import alias %s appears twice",
			    q(ld, node_text(k)));
			return -1;
		}
	}
	return 0;
}

static int
field_imports(struct loader *ld, const char *name, yaml_node_t *n)
{
	struct entry		*e = ld->e;
	yaml_node_pair_t	*p;
	size_t			 i, cnt;
	int			 bad = 0;

	if (map_want(ld, name, n) == -1)
		return -1;
	cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (cnt > CONFIG_MAX_LIST) {
		cfg_nerr(ld, n, "\"imports\" has %zu items (the limit is %d)",
		    cnt, CONFIG_MAX_LIST);
		return -1;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++)
		if (import_check(ld, n, p) == -1)
			bad = 1;
	if (bad)
		return -1;
	e->import_alias = xcalloc(cnt, sizeof(char *));
	e->import_id = xcalloc(cnt, sizeof(char *));
	ld->r->import_at = xcalloc(cnt, sizeof(struct mark));
	for (i = 0; i < cnt; i++) {
		p = n->data.mapping.pairs.start + i;
		e->import_alias[i] = xstrdup(node_text(node_get(ld, p->key)));
		e->import_id[i] = xstrdup(node_text(node_get(ld, p->value)));
		ld->r->import_at[i] = node_mark(ld, node_get(ld, p->value));
	}
	e->nimports = cnt;
	return 0;
}

/* ---- services ---- */

static int
field_ref(struct loader *ld, const char *name, yaml_node_t *n, char **out,
    struct mark *at)
{
	const char	*s;

	if ((s = node_str(ld, name, n)) == NULL)
		return -1;
	*out = xstrdup(s);
	*at = node_mark(ld, n);
	return 0;
}

static int
field_process(struct loader *ld, const char *name, yaml_node_t *n)
{
	return field_ref(ld, name, n, &ld->e->process, &ld->r->process_at);
}

static int
field_host(struct loader *ld, const char *name, yaml_node_t *n)
{
	return field_ref(ld, name, n, &ld->e->host, &ld->r->host_at);
}

static int
field_input(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_strlist(ld, name, n, 0, &ld->e->input, &ld->e->ninput,
	    NULL);
}

/* ---- entries ---- */

static const struct field entry_fields[] = {
	{ "name", K_ANY, NULL },
	{ "kind", K_ANY, NULL },
	{ "meta", K_ANY, NULL },	/* Wippy's free-form notes */
	{ "lifecycle", K_HOSTS | K_SERVICE, field_lifecycle },
	{ "hide_logs", K(ENTRY_TERMINAL_HOST), field_hide_logs },
	{ "sandbox", K_HOSTS, field_sandbox },
	{ "limits", K(ENTRY_PROCESS_HOST), field_limits },
	{ "source", K_LUA, field_source },
	{ "method", K(ENTRY_PROCESS_LUA), field_method },
	{ "modules", K_LUA, field_modules },
	{ "imports", K_LUA, field_imports },
	{ "process", K_SERVICE, field_process },
	{ "host", K_SERVICE, field_host },
	{ "input", K_SERVICE, field_input },
	{ NULL, 0, NULL }
};

static void
entry_defaults(struct entry *e)
{
	e->lc.stop_timeout = 10 * 1000000000LL;
	e->lc.stable_threshold = 5 * 1000000000LL;
	e->lc.restart.initial_delay = 1000000000LL;
	e->lc.restart.max_delay = 90 * 1000000000LL;
	e->lc.restart.backoff_factor = 2.0;
	e->lc.restart.jitter = 0.1;
	e->lc.restart.max_attempts = 0;
	e->limits.memory = e->limits.cpu_time = e->limits.open_files = -1;
	e->limits.processes = e->limits.core = -1;
	e->sandbox = 1;
}

/* Appends an entry and makes it the current one. */
static int
entry_new(struct loader *ld, yaml_node_t *n, yaml_node_t *namen,
    const char *name, int kind)
{
	struct app	*app = ld->app;
	struct entry	*e;
	struct eref	*r;

	if (app->nentries == CONFIG_MAX_ENTRIES) {
		if (!ld->toomany_entries)
			cfg_nerr(ld, n, "too many entries (the limit is %d)",
			    CONFIG_MAX_ENTRIES);
		ld->toomany_entries = 1;
		return -1;
	}
	if (app->nentries == ld->cap) {
		ld->cap = ld->cap ? ld->cap * 2 : 16;
		app->entries = xrealloc(app->entries,
		    ld->cap * sizeof(*app->entries));
		ld->refs = xrealloc(ld->refs, ld->cap * sizeof(*ld->refs));
	}
	e = app->entries[app->nentries] = xcalloc(1, sizeof(*e));
	r = &ld->refs[app->nentries++];
	memset(r, 0, sizeof(*r));
	entry_defaults(e);
	xasprintf(&e->id, "%s:%s", ld->ns, name);
	e->name = xstrdup(name);
	e->kind = kind >= 0 ? (enum entry_kind)kind : ENTRY_PROCESS_LUA;
	e->file = xstrdup(ld->file);
	r->at = node_mark(ld, n);
	r->name_at = node_mark(ld, namen);
	r->broken = kind < 0;
	e->line = r->at.line;
	e->column = r->at.col;
	ld->e = e;
	ld->r = r;
	snprintf(ld->qid, sizeof(ld->qid), "%s", q(ld, e->id));
	return 0;
}

/* Fields a kind cannot do without, and defaults that depend on the kind. */
static void
entry_finish(struct loader *ld, yaml_node_t *n)
{
	struct entry	*e = ld->e;
	const char	*missing = NULL;

	if ((e->kind == ENTRY_PROCESS_LUA || e->kind == ENTRY_LIBRARY_LUA) &&
	    map_get(ld, n, "source") == NULL)
		missing = "source";
	else if (e->kind == ENTRY_PROCESS_SERVICE &&
	    map_get(ld, n, "process") == NULL)
		missing = "process";
	else if (e->kind == ENTRY_PROCESS_SERVICE &&
	    map_get(ld, n, "host") == NULL)
		missing = "host";
	if (missing != NULL)
		cfg_nerr(ld, n, "%s entry has no \"%s\"",
		    entry_kind_name(e->kind), missing);
	if (e->kind == ENTRY_PROCESS_LUA && e->method == NULL)
		e->method = xstrdup("main");
}

/* The name and kind, which every other check of an entry builds on. */
static int
entry_head(struct loader *ld, yaml_node_t *n, yaml_node_t **namen,
    const char **name, int *kind)
{
	yaml_node_t	*kn;
	const char	*s;
	char		 id[CONFIG_QUOTE_BUF];

	if ((*namen = map_get(ld, n, "name")) == NULL) {
		cfg_nerr(ld, n, "entry has no \"name\" (namespace %s)",
		    q(ld, ld->ns));
		return -1;
	}
	if ((*name = node_str(ld, "name", *namen)) == NULL ||
	    name_check(ld, "name", *namen, *name) == -1)
		return -1;
	snprintf(id, sizeof(id), "%s:%s", ld->ns, *name);
	*kind = -1;
	if ((kn = map_get(ld, n, "kind")) == NULL)
		cfg_nerr(ld, n, "entry %s has no \"kind\"", q(ld, id));
	else if ((s = node_str(ld, "kind", kn)) != NULL &&
	    (*kind = kind_find(s)) == -1)
		cfg_nerr(ld, kn, "unknown kind %s in entry %s", q(ld, s),
		    q(ld, id));
	return 0;
}

static void
entry_load(struct loader *ld, yaml_node_t *n)
{
	yaml_node_t	*namen;
	const char	*name;
	char		 where[CONFIG_QUOTE_BUF + 64];
	int		 kind;

	if (n->type != YAML_MAPPING_NODE) {
		cfg_nerr(ld, n, "an entry must be a mapping with \"name\" and "
		    "\"kind\", not a %s", node_type(n));
		return;
	}
	if (entry_head(ld, n, &namen, &name, &kind) == -1 ||
	    entry_new(ld, n, namen, name, kind) == -1)
		return;
	if (kind >= 0) {
		snprintf(where, sizeof(where), "%s entry %s",
		    entry_kind_name(ld->e->kind), ld->qid);
		map_dispatch(ld, n, entry_fields, K(kind), where);
		entry_finish(ld, n);
	}
	ld->e = NULL;
	ld->r = NULL;
}

/* ---- files ---- */

static int
doc_entries(struct loader *ld, const char *name, yaml_node_t *n)
{
	yaml_node_item_t	*it;
	yaml_node_t		*v;

	(void)name;
	if (ld->ns == NULL)
		return 0;
	if (n->type != YAML_SEQUENCE_NODE) {
		cfg_nerr(ld, n, "\"entries\" must be a list, not a %s",
		    node_type(n));
		return -1;
	}
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++)
		if ((v = node_get(ld, *it)) != NULL)
			entry_load(ld, v);
	return 0;
}

static int
doc_version(struct loader *ld, const char *name, yaml_node_t *n)
{
	return node_str(ld, name, n) == NULL ? -1 : 0;
}

static const struct field doc_fields[] = {
	{ "namespace", 0, NULL },
	{ "version", 0, doc_version },
	{ "entries", 0, doc_entries },
	{ NULL, 0, NULL }
};

static void
doc_load(struct loader *ld, yaml_node_t *root)
{
	yaml_node_t	*nsn;
	const char	*ns;

	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		cfg_nerr(ld, root, "expected a mapping with \"namespace\" and "
		    "\"entries\", found %s", root ? node_type(root) :
		    "an empty file");
		return;
	}
	if ((nsn = map_get(ld, root, "namespace")) == NULL)
		cfg_nerr(ld, root, "missing \"namespace\"");
	else if ((ns = node_str(ld, "namespace", nsn)) != NULL &&
	    name_check(ld, "namespace", nsn, ns) == 0)
		ld->ns = xstrdup(ns);
	map_dispatch(ld, root, doc_fields, 0, "the top-level mapping");
	free(ld->ns);
	ld->ns = NULL;
}

/* libyaml's own message, at its position. */
static void
yaml_error(struct loader *ld, const yaml_parser_t *p)
{
	struct mark	 m = { ld->file, 1, 1 };
	size_t		 i;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		cfg_err(ld, &m, "out of memory while parsing");
		return;
	case YAML_READER_ERROR:
		/* Only a byte offset: count lines and characters up to it. */
		for (i = 0; i < p->problem_offset && i < ld->buflen; i++) {
			if (ld->buf[i] == '\n') {
				m.line++;
				m.col = 1;
			} else if (((unsigned char)ld->buf[i] & 0xc0) != 0x80)
				m.col++;
		}
		if (p->problem_value != -1)
			cfg_err(ld, &m, "%s (byte 0x%02x)", p->problem,
			    (unsigned)p->problem_value & 0xff);
		else
			cfg_err(ld, &m, "%s", p->problem);
		return;
	default:
		m.line = (int)p->problem_mark.line + 1;
		m.col = (int)p->problem_mark.column + 1;
		if (p->context != NULL)
			cfg_err(ld, &m, "%s (%s at line %zu column %zu)",
			    p->problem ? p->problem : "syntax error",
			    p->context, p->context_mark.line + 1,
			    p->context_mark.column + 1);
		else
			cfg_err(ld, &m, "%s", p->problem ? p->problem :
			    "syntax error");
	}
}

/* Returns -1 to stop at this event, after reporting why. */
static int
yaml_event_check(struct loader *ld, const yaml_event_t *ev, int *depth,
    int *docs, size_t *count)
{
	struct mark	 m = node_mark(ld, NULL);

	m.line = (int)ev->start_mark.line + 1;
	m.col = (int)ev->start_mark.column + 1;
	if (++*count > CONFIG_MAX_EVENTS) {
		cfg_err(ld, &m, "too many YAML nodes (the limit is %d)",
		    CONFIG_MAX_EVENTS);
		return -1;
	}
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1) {
			cfg_err(ld, &m, "a second YAML document: one file "
			    "holds one document");
			return -1;
		}
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (++*depth > CONFIG_MAX_DEPTH) {
			cfg_err(ld, &m, "YAML nested too deep (the limit is "
			    "%d levels)", CONFIG_MAX_DEPTH);
			return -1;
		}
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		--*depth;
		break;
	default:
		break;
	}
	return 0;
}

/*
 * A pass over the events before yaml_parser_load: libyaml 0.2.5 has no
 * nesting limit and builds the whole tree, so depth and size are checked
 * here, where they cost nothing to stop.
 */
static int
yaml_scan(struct loader *ld)
{
	yaml_parser_t	 p;
	yaml_event_t	 ev;
	size_t		 count = 0;
	int		 depth = 0, docs = 0, rc = -1, stop;

	if (!yaml_parser_initialize(&p))
		fatalx("yaml_parser_initialize");
	yaml_parser_set_input_string(&p, (const unsigned char *)ld->buf,
	    ld->buflen);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_error(ld, &p);
			break;
		}
		stop = yaml_event_check(ld, &ev, &depth, &docs, &count);
		if (stop == 0 && ev.type == YAML_STREAM_END_EVENT)
			rc = 0;
		yaml_event_delete(&ev);
		if (stop == -1 || rc == 0)
			break;
	}
	yaml_parser_delete(&p);
	return rc;
}

static void
file_load(struct loader *ld, size_t i)
{
	yaml_parser_t	 p;
	yaml_document_t	 doc;
	struct mark	 m = { ld->shown[i], 1, 1 };
	const char	*why;
	char		*path, *buf;
	size_t		 len;

	ld->file = ld->shown[i];
	ld->rel = ld->files[i];
	xasprintf(&path, "%s/%s", ld->app->dir, ld->rel);
	buf = file_slurp(path, CONFIG_FILE_MAX, &len, &why);
	free(path);
	if (buf == NULL) {
		cfg_err(ld, &m, "%s", why);
		return;
	}
	if ((ld->total += len) > CONFIG_TOTAL_MAX) {
		cfg_err(ld, &m, "the app's yaml files hold more than 16 MiB");
		free(buf);
		return;
	}
	ld->buf = buf;
	ld->buflen = len;
	if (yaml_scan(ld) == 0) {
		if (!yaml_parser_initialize(&p))
			fatalx("yaml_parser_initialize");
		yaml_parser_set_input_string(&p, (const unsigned char *)buf,
		    len);
		if (!yaml_parser_load(&p, &doc))
			yaml_error(ld, &p);
		else {
			ld->doc = &doc;
			doc_load(ld, yaml_document_get_root_node(&doc));
			ld->doc = NULL;
			yaml_document_delete(&doc);
		}
		yaml_parser_delete(&p);
	}
	ld->buf = NULL;
	ld->buflen = 0;
	free(buf);
}

/* ---- references across entries ---- */

static int
ref_cmp(const void *a, const void *b, void *arg)
{
	const struct app	*app = arg;
	size_t			 x = *(const size_t *)a, y = *(const size_t *)b;
	int			 c;

	if ((c = strcmp(app->entries[x]->id, app->entries[y]->id)) != 0)
		return c;
	return x < y ? -1 : x > y;
}

/* Entries by id; among duplicates the first defined comes first. */
static size_t *
ref_index(struct app *app)
{
	size_t	*ix, i;

	ix = xcalloc(app->nentries, sizeof(size_t));
	for (i = 0; i < app->nentries; i++)
		ix[i] = i;
	qsort_r(ix, app->nentries, sizeof(size_t), ref_cmp, app);
	return ix;
}

static size_t
ref_find(const struct app *app, const size_t *ix, const char *id)
{
	size_t	 lo = 0, hi = app->nentries, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(app->entries[ix[mid]]->id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < app->nentries && strcmp(app->entries[ix[lo]]->id, id) == 0)
		return ix[lo];
	return NONE;
}

static void
ref_dups(struct loader *ld, const size_t *ix)
{
	struct app	*app = ld->app;
	struct mark	*first;
	size_t		 i, k, *orig;

	orig = xcalloc(app->nentries ? app->nentries : 1, sizeof(size_t));
	for (i = 0; i < app->nentries; i++)
		orig[i] = NONE;
	for (k = 1; k < app->nentries; k++) {
		if (strcmp(app->entries[ix[k]]->id,
		    app->entries[ix[k - 1]]->id) == 0)
			orig[ix[k]] = orig[ix[k - 1]] != NONE ?
			    orig[ix[k - 1]] : ix[k - 1];
	}
	for (i = 0; i < app->nentries; i++) {
		if (orig[i] == NONE)
			continue;
		first = &ld->refs[orig[i]].name_at;
		cfg_err(ld, &ld->refs[i].name_at, "duplicate entry %s (first "
		    "defined at %s:%d:%d)", q(ld, app->entries[i]->id),
		    first->file, first->line, first->col);
	}
	free(orig);
}

/* Resolves one reference of entry `i`; `kinds` is what it may name. */
static size_t
ref_resolve(struct loader *ld, const size_t *ix, size_t i, const char *id,
    const struct mark *at, const char *what, unsigned kinds,
    const char *want)
{
	struct app	*app = ld->app;
	struct entry	*e = app->entries[i];
	size_t		 j;
	char		*guess, hint[CONFIG_QUOTE_BUF + 32] = "";

	if ((j = ref_find(app, ix, id)) == NONE) {
		if (strchr(id, ':') == NULL) {
			xasprintf(&guess, "%.*s:%s",
			    (int)(strchr(e->id, ':') - e->id), e->id, id);
			snprintf(hint, sizeof(hint), ref_find(app, ix, guess) !=
			    NONE ? " (did you mean %s?)" : " (ids are "
			    "\"namespace:name\", not %s)", q(ld, guess));
			free(guess);
		}
		cfg_err(ld, at, "%s %s not found (entry %s)%s", what,
		    q(ld, id), q(ld, e->id), hint);
		return NONE;
	}
	if (!ld->refs[j].broken && !(K(app->entries[j]->kind) & kinds)) {
		cfg_err(ld, at, "%s %s is a %s, not a %s (entry %s)", what,
		    q(ld, id), entry_kind_name(app->entries[j]->kind), want,
		    q(ld, e->id));
		return NONE;
	}
	return j;
}

static void
ref_entry(struct loader *ld, const size_t *ix, size_t i)
{
	struct entry	*e = ld->app->entries[i];
	struct eref	*r = &ld->refs[i];
	size_t		 k;

	if (e->process != NULL)
		ref_resolve(ld, ix, i, e->process, &r->process_at,
		    "process", K(ENTRY_PROCESS_LUA), "process.lua");
	if (e->host != NULL)
		ref_resolve(ld, ix, i, e->host, &r->host_at, "host", K_HOSTS,
		    "process.host or terminal.host");
	if (e->nimports > 0)
		r->import_to = xcalloc(e->nimports, sizeof(size_t));
	for (k = 0; k < e->nimports; k++)
		r->import_to[k] = ref_resolve(ld, ix, i, e->import_id[k],
		    &r->import_at[k], "library", K(ENTRY_LIBRARY_LUA),
		    "library.lua");
	if (e->lc.nrequires > 0)
		r->require_to = xcalloc(e->lc.nrequires, sizeof(size_t));
	for (k = 0; k < e->lc.nrequires; k++)
		r->require_to[k] = ref_resolve(ld, ix, i, e->lc.requires[k],
		    &r->require_at[k], "required entry", K_ANY, "entry");
}

/* ---- cycles ---- */

struct dfs {
	size_t		 node;
	size_t		 next;		/* next edge to follow */
};

static size_t
edge_count(const struct loader *ld, size_t i, int imports)
{
	const struct entry	*e = ld->app->entries[i];

	return imports ? e->nimports : e->lc.nrequires;
}

static size_t
edge_to(const struct loader *ld, size_t i, int imports, size_t k)
{
	const struct eref	*r = &ld->refs[i];

	if (imports)
		return r->import_to ? r->import_to[k] : NONE;
	return r->require_to ? r->require_to[k] : NONE;
}

static void
cycle_report(struct loader *ld, const struct dfs *st, size_t top, size_t j,
    int imports)
{
	const struct eref	*r = &ld->refs[st[top].node];
	const struct mark	*at;
	char			 path[CONFIG_CYCLE_MAX + 8];
	size_t			 p, len = 0;

	for (p = 0; st[p].node != j; p++)
		continue;
	for (; p <= top && len < CONFIG_CYCLE_MAX; p++)
		len += (size_t)snprintf(path + len, sizeof(path) - len,
		    "%s -> ", ld->app->entries[st[p].node]->id);
	if (len < CONFIG_CYCLE_MAX)
		snprintf(path + len, sizeof(path) - len, "%s",
		    ld->app->entries[j]->id);
	else
		snprintf(path + CONFIG_CYCLE_MAX, 8, "...");
	at = imports ? &r->import_at[st[top].next - 1] :
	    &r->require_at[st[top].next - 1];
	cfg_err(ld, at, "%s cycle: %s", imports ? "import" : "dependency",
	    path);
}

/* Depth-first without recursion: a chain of 10000 entries is fine. */
static void
cycle_check(struct loader *ld, int imports)
{
	size_t		 n = ld->app->nentries, s, top, j;
	struct dfs	*st;
	char		*color;		/* 0 new, 1 on the path, 2 done */

	color = xcalloc(n ? n : 1, 1);
	st = xcalloc(n ? n : 1, sizeof(*st));
	for (s = 0; s < n; s++) {
		if (color[s] != 0)
			continue;
		top = 0;
		st[0].node = s;
		st[0].next = 0;
		color[s] = 1;
		for (;;) {
			if (st[top].next == edge_count(ld, st[top].node,
			    imports)) {
				color[st[top].node] = 2;
				if (top-- == 0)
					break;
				continue;
			}
			j = edge_to(ld, st[top].node, imports, st[top].next++);
			if (j == NONE || color[j] == 2)
				continue;
			if (color[j] == 1) {
				cycle_report(ld, st, top, j, imports);
				continue;
			}
			color[j] = 1;
			st[++top].node = j;
			st[top].next = 0;
		}
	}
	free(st);
	free(color);
}

static void
refs_check(struct loader *ld)
{
	size_t	*ix, i;

	if (ld->app->nentries == 0)
		return;
	ix = ref_index(ld->app);
	ref_dups(ld, ix);
	for (i = 0; i < ld->app->nentries; i++)
		ref_entry(ld, ix, i);
	cycle_check(ld, 0);
	cycle_check(ld, 1);
	free(ix);
}

/* ---- public ---- */

static void
strv_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
entry_free(struct entry *e)
{
	free(e->id);
	free(e->name);
	free(e->file);
	strv_free(e->lc.requires, e->lc.nrequires);
	free(e->source_path);
	free(e->source_code);
	free(e->method);
	strv_free(e->modules, e->nmodules);
	strv_free(e->import_alias, e->nimports);
	strv_free(e->import_id, e->nimports);
	free(e->process);
	free(e->host);
	strv_free(e->input, e->ninput);
	free(e);
}

void
config_free(struct app *app)
{
	size_t	 i;

	for (i = 0; i < app->nentries; i++)
		entry_free(app->entries[i]);
	free(app->entries);
	free(app->dir);
	memset(app, 0, sizeof(*app));
}

struct entry *
config_find(const struct app *app, const char *id)
{
	size_t	 i;

	for (i = 0; i < app->nentries; i++)
		if (strcmp(app->entries[i]->id, id) == 0)
			return app->entries[i];
	return NULL;
}

static void
loader_free(struct loader *ld)
{
	size_t	 i;

	for (i = 0; i < ld->app->nentries; i++) {
		free(ld->refs[i].import_at);
		free(ld->refs[i].require_at);
		free(ld->refs[i].import_to);
		free(ld->refs[i].require_to);
	}
	free(ld->refs);
	strv_free(ld->files, ld->nfiles);
	strv_free(ld->shown, ld->nfiles);
	strv_free(ld->compiled, ld->ncompiled);
	if (ld->L != NULL)
		lua_close(ld->L);
}

/*
 * Loads the app folder `dir`.  On success returns 0 with *errors NULL.
 * Otherwise returns -1, leaves *app empty and sets *errors to the error
 * lines joined by "\n" (the caller frees it).  config_free(app) is safe
 * after either.
 */
int
config_load(const char *dir, struct app *app, char **errors)
{
	struct loader	 ld;
	size_t		 i;

	memset(app, 0, sizeof(*app));
	memset(&ld, 0, sizeof(ld));
	*errors = NULL;
	ld.dir = dir;
	ld.app = app;
	if (dir_open(&ld) == 0) {
		ld.shown = xcalloc(ld.nfiles ? ld.nfiles : 1, sizeof(char *));
		for (i = 0; i < ld.nfiles; i++)
			ld.shown[i] = path_shown(dir, ld.files[i]);
		for (i = 0; i < ld.nfiles && ld.total <= CONFIG_TOTAL_MAX; i++)
			file_load(&ld, i);
		refs_check(&ld);
	}
	loader_free(&ld);
	if (ld.nerr == 0)
		return 0;
	config_free(app);
	*errors = ld.errs;
	return -1;
}
