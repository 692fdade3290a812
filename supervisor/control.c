/*
 * control.c: the control socket of a running app, the server side of
 * `osactor ps|stop|start|restart|send`.  One Unix stream socket per app
 * folder, in a directory only our uid can enter; each connection is
 * checked with SO_PEERCRED, bounded in number, bytes and time, and
 * dropped at its first protocol error.  Requests use the actors' frame
 * codec and are answered from the loop, so a client can never stall it.
 */
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "osactor.h"
#include "pid.h"
#include "proto.h"
#include "xmalloc.h"

#define CTL_MAX_CLIENTS	32
#define CTL_TIMEOUT_NS	(2ULL * 1000000000ULL)	/* a request, or a reply read */
#define CTL_PAUSE_NS	(1ULL * 1000000000ULL)	/* accepts paused on EMFILE */
#define CTL_READ_CHUNK	(64U << 10)
#define CTL_ACCEPTS	64		/* per wake-up, so actors get a turn */
#define CTL_SEND_HIWAT	(64U << 20)	/* queued to one actor: refuse more */
#define CTL_BASE_MAX	32		/* bytes of folder name in a socket's */

struct ctl_client {
	int			 fd;
	uid_t			 uid;
	pid_t			 pid;
	int			 waitexit;	/* asked to stop the app */
	uint64_t		 nframes;
	struct ev_io		 io;
	struct ev_timer		 timer;
	struct wbuf		 in;
	struct wbuf		 out;
	LIST_ENTRY(ctl_client)	 entry;
};

static LIST_HEAD(, ctl_client) clients = LIST_HEAD_INITIALIZER(clients);
static size_t		 nclients;
static int		 listen_fd = -1;
static int		 lock_fd = -1;
static struct ev_io	 listen_io = { .fd = -1 };
static struct ev_timer	 pause_timer;
static char		*sock_path;
static char		*lock_path;

static void	control_client_io(struct ev_loop *, struct ev_io *, uint32_t);
static void	control_client_timeout(struct ev_loop *, struct ev_timer *);

/* Paths */

#define CTL_RUN		"/run"
#define CTL_USER_PREFIX	"osactor-"	/* CTL_RUN/osactor-UID: --user apps */
#define CTL_ROOT_DIR	CTL_RUN "/osactor"

static char		*user_dir;	/* set by control_prepare_user */

static const char *
control_env_dir(void)
{
	const char	*env = getenv("OSACTOR_RUNTIME_DIR");

	return env != NULL && *env == '/' ? env : NULL;
}

/*
 * The folder of control sockets: $OSACTOR_RUNTIME_DIR, the one root made
 * for --user, /run/osactor for root, $XDG_RUNTIME_DIR/osactor, or
 * /tmp/osactor-UID.
 */
static char *
control_dir(void)
{
	const char	*env;
	char		*dir;

	if ((env = control_env_dir()) != NULL)
		return xstrdup(env);
	if (user_dir != NULL)
		return xstrdup(user_dir);
	if (geteuid() == 0)
		return xstrdup(CTL_ROOT_DIR);
	if ((env = getenv("XDG_RUNTIME_DIR")) != NULL && *env == '/') {
		xasprintf(&dir, "%s/osactor", env);
		return dir;
	}
	xasprintf(&dir, "/tmp/osactor-%u", (unsigned)geteuid());
	return dir;
}

/*
 * The socket of the app in absdir (absolute and resolved), in dir: its
 * folder's name, tamed, and a hash of the whole path.  NULL with *err
 * when the path does not fit a sockaddr_un.
 */
static char *
control_path_in(const char *dir, const char *absdir, const char *ext,
    char **err)
{
	struct sockaddr_un	 sun;
	const char		*base = strrchr(absdir, '/');
	char			 name[CTL_BASE_MAX + 1], *path;
	size_t			 i;

	base = base != NULL && base[1] != '\0' ? base + 1 : "root";
	for (i = 0; i < CTL_BASE_MAX && base[i] != '\0'; i++)
		name[i] = (base[i] >= 'a' && base[i] <= 'z') ||
		    (base[i] >= 'A' && base[i] <= 'Z') ||
		    (base[i] >= '0' && base[i] <= '9') || base[i] == '.' ||
		    base[i] == '-' || base[i] == '_' ? base[i] : '_';
	name[i] = '\0';
	xasprintf(&path, "%s/%s-%016llx%s", dir, name,
	    (unsigned long long)hmap_hash(absdir, strlen(absdir)), ext);
	if (strlen(path) >= sizeof(sun.sun_path)) {
		xasprintf(err, "control socket path too long: %s", path);
		free(path);
		return NULL;
	}
	return path;
}

char *
control_path(const char *absdir, const char *ext, char **err)
{
	char	*dir, *path;

	dir = control_dir();
	path = control_path_in(dir, absdir, ext, err);
	free(dir);
	return path;
}

/*
 * --user, as root before the drop: the app's sockets go in /run/osactor-UID,
 * made here owned by uid, mode 0700, so that root's `osactor ps` finds
 * them (control_user_path).  Only root can make names in /run, so what is
 * found there is what root made.  0, or -1 with *err.
 */
int
control_prepare_user(uid_t uid, gid_t gid, char **err)
{
	char	*dir;
	int	 fd, e;

	if (control_env_dir() != NULL)
		return 0;
	xasprintf(&dir, "%s/%s%u", CTL_RUN, CTL_USER_PREFIX, (unsigned)uid);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		goto fail;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		goto fail;
	if (fchown(fd, uid, gid) == -1 || fchmod(fd, 0700) == -1) {
		e = errno;
		close(fd);
		errno = e;
		goto fail;
	}
	close(fd);
	free(user_dir);
	user_dir = dir;
	return 0;
fail:
	xasprintf(err, "%s: %s", dir, strerror(errno));
	free(dir);
	return -1;
}

/*
 * For root's client: the socket of the app in absdir when root started it
 * with --user, in a /run/osactor-UID folder owned by UID, the socket owned
 * by UID too; NULL when there is none.
 */
char *
control_user_path(const char *absdir)
{
	const size_t	 plen = strlen(CTL_USER_PREFIX);
	struct dirent	*de;
	struct stat	 st;
	unsigned long	 uid;
	DIR		*d;
	char		*dir, *path, *err = NULL, *end;

	if (geteuid() != 0 || control_env_dir() != NULL ||
	    (d = opendir(CTL_RUN)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, CTL_USER_PREFIX, plen) != 0)
			continue;
		errno = 0;
		uid = strtoul(de->d_name + plen, &end, 10);
		if (end == de->d_name + plen || *end != '\0' || errno != 0 ||
		    uid >= (uid_t)-1)
			continue;
		xasprintf(&dir, "%s/%s", CTL_RUN, de->d_name);
		path = NULL;
		if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
		    st.st_uid == uid)
			path = control_path_in(dir, absdir, ".sock", &err);
		free(dir);
		free(err);
		err = NULL;
		if (path != NULL && lstat(path, &st) == 0 &&
		    S_ISSOCK(st.st_mode) && st.st_uid == uid) {
			closedir(d);
			return path;
		}
		free(path);
	}
	closedir(d);
	return NULL;
}

/* Create dir if need be; it must be ours, a real directory, mode 0700. */
static int
control_mkdir(const char *dir, char **err)
{
	struct stat	 st;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		xasprintf(err, "mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) == -1) {
		xasprintf(err, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		xasprintf(err, "%s: not a directory", dir);
	else if (st.st_uid != geteuid())
		xasprintf(err, "%s: owned by uid %u, not %u", dir,
		    (unsigned)st.st_uid, (unsigned)geteuid());
	else if ((st.st_mode & 07777) != 0700)
		xasprintf(err, "%s: mode %04o, must be 0700", dir,
		    (unsigned)(st.st_mode & 07777));
	else
		return 0;
	return -1;
}

/* Setup and teardown */

/*
 * Take the app's lock: 0, 1 when another supervisor holds it, -1 with
 * *err.  The lock file is unlinked at exit, so after locking make sure
 * the path still names the file that was locked.
 */
static int
control_lock(char **err)
{
	struct stat	 a, b;
	int		 fd, tries;

	for (tries = 0; tries < 16; tries++) {
		fd = open(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		    0600);
		if (fd == -1) {
			xasprintf(err, "%s: %s", lock_path, strerror(errno));
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
			close(fd);
			if (errno == EWOULDBLOCK)
				return 1;
			xasprintf(err, "flock %s: %s", lock_path,
			    strerror(errno));
			return -1;
		}
		if (fstat(fd, &a) == 0 && lstat(lock_path, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			lock_fd = fd;
			return 0;
		}
		close(fd);
	}
	xasprintf(err, "%s: keeps changing", lock_path);
	return -1;
}

/*
 * A socket left at our path: 1 when a supervisor answers on it, 0 when
 * there is none or it was stale (then it is gone), -1 with *err.
 */
static int
control_probe(char **err)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	struct stat		 st;
	int			 fd, rv;

	if (lstat(sock_path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		xasprintf(err, "%s: %s", sock_path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		xasprintf(err, "%s: exists and is not a socket", sock_path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		xasprintf(err, "socket: %s", strerror(errno));
		return -1;
	}
	strlcpy(sun.sun_path, sock_path, sizeof(sun.sun_path));
	rv = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	if (rv == 0)
		return 1;
	if (errno != ECONNREFUSED) {
		xasprintf(err, "connect %s: %s", sock_path, strerror(errno));
		return -1;
	}
	/* The supervisor that made it is dead: its lock is free. */
	log_info("control: removing stale socket %s", sock_path);
	if (unlink(sock_path) == -1 && errno != ENOENT) {
		xasprintf(err, "unlink %s: %s", sock_path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
control_listen(char **err)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	mode_t			 old;
	int			 rv;

	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (listen_fd == -1) {
		xasprintf(err, "socket: %s", strerror(errno));
		return -1;
	}
	strlcpy(sun.sun_path, sock_path, sizeof(sun.sun_path));
	old = umask(077);
	rv = bind(listen_fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rv == -1 || chmod(sock_path, 0600) == -1 ||
	    listen(listen_fd, 16) == -1) {
		xasprintf(err, "%s: %s", sock_path, strerror(errno));
		if (rv == 0)
			(void)unlink(sock_path);
		close(listen_fd);
		listen_fd = -1;
		return -1;
	}
	return 0;
}

static void	control_accept(struct ev_loop *, struct ev_io *, uint32_t);

static int
control_setup(char **err)
{
	char	*dir;
	int	 rv;

	dir = control_dir();
	rv = control_mkdir(dir, err);
	free(dir);
	if (rv == -1)
		return -1;
	if ((rv = control_lock(err)) != 0)
		return rv;
	if ((rv = control_probe(err)) != 0)
		return rv;
	if (control_listen(err) == -1)
		return -1;
	if (ev_io_add(&sup.loop, &listen_io, listen_fd, EPOLLIN,
	    control_accept, NULL) == -1)
		fatal("epoll_ctl control socket");
	return 0;
}

/*
 * Open the app's control socket.  0 when it listens, 1 when another
 * supervisor runs this app folder, -1 when it cannot be made (said on
 * stderr).  Nothing is left behind unless it returns 0.
 */
int
control_init(void)
{
	char	*err = NULL;
	int	 rv;

	if ((sock_path = control_path(sup.app->dir, ".sock", &err)) == NULL ||
	    (lock_path = control_path(sup.app->dir, ".lock", &err)) == NULL)
		rv = -1;
	else
		rv = control_setup(&err);
	if (rv == 0) {
		log_info("control socket %s", sock_path);
		return 0;
	}
	if (rv == -1)
		fprintf(stderr, "osactor: control socket: %s (OSACTOR_RUNTIME_DIR "
		    "can name another folder)\n", err);
	free(err);
	if (lock_fd != -1) {
		close(lock_fd);
		lock_fd = -1;
	}
	free(sock_path);
	free(lock_path);
	sock_path = lock_path = NULL;
	return rv;
}

/* Clients */

static void
control_drop(struct ctl_client *c, const char *why)
{
	if (why != NULL)
		log_debug("control: uid %u pid %d: %s", (unsigned)c->uid,
		    (int)c->pid, why);
	ev_io_del(&sup.loop, &c->io);
	ev_timer_stop(&sup.loop, &c->timer);
	close(c->fd);
	wbuf_free(&c->in);
	wbuf_free(&c->out);
	LIST_REMOVE(c, entry);
	nclients--;
	free(c);
}

/* Write what c has queued: 0, or -1 when c is gone. */
static int
control_write(struct ctl_client *c)
{
	ssize_t	 n;

	while (wbuf_pending(&c->out) > 0) {
		n = send(c->fd, c->out.data + c->out.off,
		    wbuf_pending(&c->out), MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1)
			return -1;
		c->out.off += (size_t)n;
	}
	wbuf_compact(&c->out);
	/* One request at a time: read the next once this reply is out. */
	if (ev_io_set(&sup.loop, &c->io,
	    wbuf_pending(&c->out) ? EPOLLOUT : EPOLLIN) == -1)
		return -1;
	if (wbuf_pending(&c->out) == 0 && !c->waitexit)
		ev_timer_start(&sup.loop, &c->timer, CTL_TIMEOUT_NS,
		    control_client_timeout, c);
	return 0;
}

static void
control_err(struct wbuf *out, uint32_t ref, const char *kind,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
control_err(struct wbuf *out, uint32_t ref, const char *kind,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	size_t	 start;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	start = frame_begin(out, FRAME_CTL_REPLY, 0, 0, ref);
	wbuf_put_u8(out, PROTO_ERROR);
	wbuf_put_cstr(out, kind);
	wbuf_put_str(out, msg, strnlen(msg, NAME_MAX_LEN));
	if (frame_finish(out, start) == -1)
		fatalx("control reply too large");
	free(msg);
}

static void
control_ok(struct wbuf *out, uint32_t ref)
{
	size_t	 start;

	start = frame_begin(out, FRAME_CTL_REPLY, 0, 0, ref);
	wbuf_put_u8(out, PROTO_OK);
	if (frame_finish(out, start) == -1)
		fatalx("control reply too large");
}

/* A service name from a body: a C string, or NULL when malformed. */
static char *
control_body_name(struct rbuf *r)
{
	char	*name;

	if ((name = rbuf_cstrdup(r, NAME_MAX_LEN)) != NULL &&
	    rbuf_end(r) == -1) {
		free(name);
		name = NULL;
	}
	return name;
}

/* START, STOP, RESTART of one service, or STOP of the whole app. */
static int
control_service(struct ctl_client *c, const struct frame_hdr *h,
    struct rbuf *r)
{
	struct service	*s;
	char		*name, *err = NULL;
	int		 rv;

	if ((name = control_body_name(r)) == NULL)
		return -1;
	if (*name == '\0' && h->type == FRAME_CTL_STOP) {
		log_info("control: stop requested by uid %u pid %d",
		    (unsigned)c->uid, (int)c->pid);
		control_ok(&c->out, h->ref);
		c->waitexit = 1;
		ev_timer_stop(&sup.loop, &c->timer);
		run_stop(0);
		free(name);
		return 0;
	}
	if (sup.stopping && h->type != FRAME_CTL_STOP) {
		control_err(&c->out, h->ref, "Unavailable",
		    "the app is stopping");
		free(name);
		return 0;
	}
	if ((s = service_find(name)) == NULL) {
		control_err(&c->out, h->ref, "NotFound", "no service \"%s\"",
		    name);
		free(name);
		return 0;
	}
	log_info("control: %s %s, asked by uid %u pid %d",
	    h->type == FRAME_CTL_STOP ? "stop" : h->type == FRAME_CTL_START ?
	    "start" : "restart", s->entry->id, (unsigned)c->uid, (int)c->pid);
	if (h->type == FRAME_CTL_STOP)
		rv = service_stop(s, &err);
	else if (h->type == FRAME_CTL_START)
		rv = service_start(s, &err);
	else
		rv = service_restart(s, &err);
	if (rv == -1)
		control_err(&c->out, h->ref, "Invalid", "%s", err != NULL ?
		    err : "failed");
	else
		control_ok(&c->out, h->ref);
	free(err);
	free(name);
	return 0;
}

/* SEND: str name or pid, str topic, JSON text for the shim to decode. */
static int
control_send(struct ctl_client *c, const struct frame_hdr *h, struct rbuf *r)
{
	const char	*dest, *topic, *json;
	size_t		 dlen, tlen, jlen, start;
	struct actor	*dst;
	uint32_t	 id;

	if ((dest = rbuf_str(r, &dlen)) == NULL || dlen > NAME_MAX_LEN ||
	    (topic = rbuf_str(r, &tlen)) == NULL || tlen > NAME_MAX_LEN ||
	    (jlen = rbuf_left(r)) == 0)
		return -1;
	json = rbuf_bytes(r, jlen);
	if (pid_parse(dest, dlen, &id) == 0)
		dst = actor_find(id);
	else if ((dst = registry_lookup(dest, dlen)) == NULL) {
		control_err(&c->out, h->ref, "NotFound", "could not resolve "
		    "'%.*s' as PID or registered name", (int)dlen, dest);
		return 0;
	}
	if (dst == NULL || dst->state != ACTOR_RUNNING || dst->sock == -1 ||
	    dst->result.reason != NULL) {
		sup.dead_letters++;
		control_err(&c->out, h->ref, "NotFound", "process not found");
		return 0;
	}
	if (wbuf_pending(&dst->out) > CTL_SEND_HIWAT) {
		control_err(&c->out, h->ref, "Unavailable", "%s: mailbox full",
		    dst->pid);
		return 0;
	}
	start = frame_begin(&dst->out, FRAME_DELIVER_JSON, 0, dst->id, 0);
	wbuf_put_cstr(&dst->out, CTL_FROM);
	wbuf_put_str(&dst->out, topic, tlen);
	wbuf_put(&dst->out, json, jlen);
	if (frame_finish(&dst->out, start) == -1)
		return -1;
	router_queue_msg(dst);
	control_ok(&c->out, h->ref);
	return 0;
}

/* ps */

/* /proc/PID/FILE into buf as a C string; -1 when it cannot be read. */
static int
control_proc(pid_t pid, const char *file, char *buf, size_t size)
{
	char	 path[64];
	ssize_t	 n;
	int	 fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	do
		n = read(fd, buf, size - 1);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* Resident bytes: the second field of statm is in pages. */
static uint64_t
control_rss(pid_t pid)
{
	char			 buf[256];
	unsigned long long	 size, pages;
	long			 pagesz = sysconf(_SC_PAGESIZE);

	if (pid <= 0 || pagesz <= 0 ||
	    control_proc(pid, "statm", buf, sizeof(buf)) == -1 ||
	    sscanf(buf, "%llu %llu", &size, &pages) != 2 ||
	    pages > CTL_UNKNOWN / (uint64_t)pagesz)
		return CTL_UNKNOWN;
	return pages * (uint64_t)pagesz;
}

/* utime + stime (fields 14 and 15 of stat) in nanoseconds. */
static uint64_t
control_cpu(pid_t pid)
{
	char			 buf[1024], *p;
	unsigned long long	 ut, st;
	long			 hz = sysconf(_SC_CLK_TCK);

	/* The command name may hold anything, ')' too: skip to the last. */
	if (pid <= 0 || hz <= 0 ||
	    control_proc(pid, "stat", buf, sizeof(buf)) == -1 ||
	    (p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu", &ut, &st) != 2 || ut + st < ut ||
	    ut + st > CTL_UNKNOWN / 1000000000ULL)
		return CTL_UNKNOWN;
	return (ut + st) * 1000000000ULL / (uint64_t)hz;
}

/* What ps says an actor is doing; "stalled": not read, its receiver behind. */
static const char *
actor_state_name(const struct actor *a)
{
	if (sup.stopping || a->result.reason != NULL ||
	    (a->service != NULL && a->service->state == SVC_STOPPING))
		return "stopping";
	return a->stalled_on ? "stalled" : "running";
}

static void
control_ps_actor(struct wbuf *b, const struct actor *a)
{
	size_t	 i;

	wbuf_put_u8(b, CTL_ROW_ACTOR);
	wbuf_put_cstr(b, a->pid);
	wbuf_put_u32(b, a->ospid > 0 ? (uint32_t)a->ospid : 0);
	wbuf_put_cstr(b, a->entry->id);
	wbuf_put_cstr(b, a->host->id);
	wbuf_put_cstr(b, a->service != NULL ? a->service->entry->id : "");
	wbuf_put_u32(b, (uint32_t)a->nnames);
	for (i = 0; i < a->nnames; i++)
		wbuf_put_cstr(b, a->names[i]);
	wbuf_put_cstr(b, actor_state_name(a));
	wbuf_put_u64(b, a->queued_msgs);
	wbuf_put_u64(b, control_rss(a->ospid));
	wbuf_put_u64(b, control_cpu(a->ospid));
	wbuf_put_u64(b, ev_now() - a->started);
	wbuf_put_u64(b, a->service != NULL && a->service->restarts > 0 ?
	    (uint64_t)a->service->restarts : 0);
	wbuf_put_u64(b, a->delivered);
	wbuf_put_u64(b, a->taken);
}

/* A service slot with no actor: what its service is doing. */
static void
control_ps_service(struct wbuf *b, const struct service *s)
{
	char	*pid;

	pid = s->slot != 0 ? pid_format("node:control", s->slot) : xstrdup("");
	wbuf_put_u8(b, CTL_ROW_SERVICE);
	wbuf_put_cstr(b, pid);
	wbuf_put_u32(b, 0);
	wbuf_put_cstr(b, s->process->id);
	wbuf_put_cstr(b, s->host->id);
	wbuf_put_cstr(b, s->entry->id);
	wbuf_put_u32(b, 0);
	wbuf_put_cstr(b, service_state(s));
	wbuf_put_u64(b, 0);
	wbuf_put_u64(b, CTL_UNKNOWN);
	wbuf_put_u64(b, CTL_UNKNOWN);
	wbuf_put_u64(b, CTL_UNKNOWN);
	wbuf_put_u64(b, s->restarts > 0 ? (uint64_t)s->restarts : 0);
	wbuf_put_u64(b, 0);
	wbuf_put_u64(b, 0);
	free(pid);
}

static int
control_actor_cmp(const void *x, const void *y)
{
	const struct actor	*a = *(struct actor *const *)x;
	const struct actor	*b = *(struct actor *const *)y;

	return a->id < b->id ? -1 : a->id > b->id;
}

/* Every live actor by id, then every service slot that has none. */
static void
control_ps(struct wbuf *out, uint32_t ref)
{
	struct actor	**v;
	size_t		  i, n = 0, start;
	uint32_t	  rows;

	v = xcalloc(sup.actors.n + 1, sizeof(*v));
	for (i = 0; i < sup.actors.cap && n < sup.actors.n; i++)
		if (sup.actors.slots[i].key != NULL)
			v[n++] = sup.actors.slots[i].val;
	qsort(v, n, sizeof(*v), control_actor_cmp);
	rows = (uint32_t)n;
	for (i = 0; i < sup.nservices; i++)
		rows += sup.services[i].actor == NULL;
	start = frame_begin(out, FRAME_CTL_REPLY, 0, 0, ref);
	wbuf_put_u8(out, PROTO_OK);
	wbuf_put_u32(out, rows);
	for (i = 0; i < n; i++)
		control_ps_actor(out, v[i]);
	for (i = 0; i < sup.nservices; i++)
		if (sup.services[i].actor == NULL)
			control_ps_service(out, &sup.services[i]);
	wbuf_put_u64(out, sup.dead_letters);
	free(v);
	if (frame_finish(out, start) == -1)
		control_err(out, ref, "Unavailable", "too many actors to list");
}

/* One request from c; -1 when it breaks the protocol. */
static int
control_dispatch(struct ctl_client *c, const struct frame_hdr *h,
    struct rbuf *r)
{
	if (h->src != 0 || h->dst != 0 || h->ref == 0)
		return -1;
	switch (h->type) {
	case FRAME_CTL_PS:
		if (rbuf_u8(r) != 0 || rbuf_end(r) == -1)
			return -1;
		control_ps(&c->out, h->ref);
		return 0;
	case FRAME_CTL_STOP:
	case FRAME_CTL_START:
	case FRAME_CTL_RESTART:
		return control_service(c, h, r);
	case FRAME_CTL_SEND:
		return control_send(c, h, r);
	default:
		return -1;
	}
}

/* Answer every whole request c has sent, one at a time; -1 to drop c. */
static int
control_parse(struct ctl_client *c)
{
	struct frame_hdr h;
	struct rbuf	 body;
	int		 rv;

	while (wbuf_pending(&c->out) == 0) {
		rv = frame_next(&c->in, &h, &body, CTL_MAX_BODY);
		if (rv == 0)
			break;
		if (rv == -1) {
			log_warnx("control: uid %u pid %d: bad frame header "
			    "(%s)", (unsigned)c->uid, (int)c->pid,
			    strerror(errno));
			return -1;
		}
		if (control_dispatch(c, &h, &body) == -1) {
			log_warnx("control: uid %u pid %d: malformed request "
			    "type %u (%u bytes)", (unsigned)c->uid, (int)c->pid,
			    h.type, h.len);
			return -1;
		}
		c->nframes++;
		if (!c->waitexit)
			ev_timer_start(&sup.loop, &c->timer, CTL_TIMEOUT_NS,
			    control_client_timeout, c);
		if (control_write(c) == -1)
			return -1;
	}
	wbuf_compact(&c->in);
	return 0;
}

/* Passed descriptors are closed at once: no request carries any. */
static int
control_cmsg(struct msghdr *m)
{
	struct cmsghdr	*cm;
	int		*fds;
	size_t		 i, n;

	for (cm = CMSG_FIRSTHDR(m); cm != NULL; cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		fds = (int *)CMSG_DATA(cm);
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++)
			close(fds[i]);
	}
	return CMSG_FIRSTHDR(m) != NULL || (m->msg_flags & MSG_CTRUNC) ? -1 : 0;
}

/* Read what c sent, while it may send: 1 on EOF, -1 to drop c, else 0. */
static int
control_read(struct ctl_client *c)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(4 * sizeof(int))];
	} cmsg;
	struct iovec	 iov;
	struct msghdr	 m;
	size_t		 room, limit = FRAME_HDR_LEN + CTL_MAX_BODY;
	ssize_t		 n;

	while (wbuf_pending(&c->out) == 0 && wbuf_pending(&c->in) < limit) {
		room = limit - wbuf_pending(&c->in);
		room = room < CTL_READ_CHUNK ? room : CTL_READ_CHUNK;
		wbuf_reserve(&c->in, room);
		iov = (struct iovec){ c->in.data + c->in.len, room };
		m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1,
		    .msg_control = cmsg.buf, .msg_controllen = sizeof(cmsg) };
		n = recvmsg(c->fd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return 0;
		if (n == -1)
			return -1;
		if (control_cmsg(&m) == -1) {
			log_warnx("control: uid %u pid %d: passed descriptors",
			    (unsigned)c->uid, (int)c->pid);
			return -1;
		}
		if (n == 0)
			return 1;
		c->in.len += (size_t)n;
		if (control_parse(c) == -1)
			return -1;
	}
	return 0;
}

static void
control_client_io(struct ev_loop *loop, struct ev_io *io, uint32_t events)
{
	struct ctl_client	*c = io->arg;
	int			 rv;

	if (events & EPOLLOUT) {
		if (control_write(c) == -1 || control_parse(c) == -1) {
			control_drop(c, "dropped");
			return;
		}
	}
	/* Hung up with a reply still owed: nobody will read it. */
	if ((events & (EPOLLHUP | EPOLLERR)) && wbuf_pending(&c->out) > 0) {
		control_drop(c, "gone");
		return;
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		if ((rv = control_read(c)) != 0)
			control_drop(c, rv == 1 ? "closed" : "dropped");
	}
}

/* No whole request, or a reply not taken, in time: a slow client goes. */
static void
control_client_timeout(struct ev_loop *loop, struct ev_timer *t)
{
	struct ctl_client	*c = t->arg;
	uint64_t		 before = c->nframes;
	int			 rv;

	/* What arrived while the loop was busy still counts. */
	rv = control_read(c);
	if (rv == 0 && c->nframes != before)
		return;
	if (rv == 0 && wbuf_pending(&c->in) > 0)
		log_warnx("control: uid %u pid %d: partial request timed out",
		    (unsigned)c->uid, (int)c->pid);
	control_drop(c, rv == 0 ? "timed out" : "closed");
}

/* Refuse a connection, saying why when the socket takes it at once. */
static void
control_refuse(int fd, const char *kind, const char *why)
{
	struct wbuf	 out = { 0 };

	control_err(&out, 0, kind, "%s", why);
	(void)send(fd, out.data, out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
	wbuf_free(&out);
	close(fd);
}

static void
control_new_client(int fd)
{
	struct ucred		 cred;
	socklen_t		 len = sizeof(cred);
	struct ctl_client	*c;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1 ||
	    len != sizeof(cred)) {
		log_warnx("control: SO_PEERCRED: %s", strerror(errno));
		close(fd);
		return;
	}
	if (cred.uid != geteuid() && cred.uid != 0) {
		log_warnx("control: refused uid %u pid %d: only uid %u or root "
		    "may connect", (unsigned)cred.uid, (int)cred.pid,
		    (unsigned)geteuid());
		control_refuse(fd, "PermissionDenied", "permission denied");
		return;
	}
	if (nclients >= CTL_MAX_CLIENTS) {
		log_warnx("control: refused uid %u pid %d: too many "
		    "connections", (unsigned)cred.uid, (int)cred.pid);
		control_refuse(fd, "Unavailable",
		    "too many control connections");
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->uid = cred.uid;
	c->pid = cred.pid;
	if (ev_io_add(&sup.loop, &c->io, fd, EPOLLIN, control_client_io,
	    c) == -1)
		fatal("epoll_ctl control client");
	ev_timer_start(&sup.loop, &c->timer, CTL_TIMEOUT_NS,
	    control_client_timeout, c);
	LIST_INSERT_HEAD(&clients, c, entry);
	nclients++;
}

static void
control_resume(struct ev_loop *loop, struct ev_timer *t)
{
	if (listen_io.fd != -1 && ev_io_set(loop, &listen_io, EPOLLIN) == -1)
		fatal("epoll_ctl control socket");
}

static void
control_accept(struct ev_loop *loop, struct ev_io *io, uint32_t events)
{
	int	 fd, i;

	for (i = 0; i < CTL_ACCEPTS; i++) {
		fd = accept4(listen_fd, NULL, NULL,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd != -1) {
			control_new_client(fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EAGAIN)
			return;
		/* Out of descriptors or memory: wait rather than spin. */
		log_warnx("control: accept: %s; pausing", strerror(errno));
		if (ev_io_set(loop, &listen_io, 0) == -1)
			fatal("epoll_ctl control socket");
		ev_timer_start(loop, &pause_timer, CTL_PAUSE_NS,
		    control_resume, NULL);
		return;
	}
}

/*
 * The socket goes first, then every connection (with a last try at what
 * it is owed): a client waiting for the app's exit sees it done.
 */
void
control_close(void)
{
	struct ctl_client	*c;

	ev_timer_stop(&sup.loop, &pause_timer);
	if (listen_fd != -1) {
		ev_io_del(&sup.loop, &listen_io);
		if (unlink(sock_path) == -1)
			log_warnx("unlink %s: %s", sock_path, strerror(errno));
		close(listen_fd);
		listen_fd = -1;
	}
	if (lock_fd != -1) {
		(void)unlink(lock_path);
		close(lock_fd);
		lock_fd = -1;
	}
	while ((c = LIST_FIRST(&clients)) != NULL) {
		(void)send(c->fd, c->out.data + c->out.off,
		    wbuf_pending(&c->out), MSG_NOSIGNAL | MSG_DONTWAIT);
		control_drop(c, NULL);
	}
	free(sock_path);
	free(lock_path);
	sock_path = lock_path = NULL;
}
