/*
 * main.c: the osactor command line.  Everything that can be wrong with
 * the app definition or the command is reported before any actor starts.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "duration.h"
#include "log.h"
#include "osactor.h"
#include "xmalloc.h"

#define EXIT_USAGE	64
#define EXIT_CONFIG	78

struct sup sup;

static void __attribute__((noreturn))
usage(int status)
{
	FILE	*f = status == 0 ? stdout : stderr;

	fprintf(f,
"usage: osactor run [-v] [-d DIR] [-W SHIM] [--stop-timeout DURATION]\n"
"                   [--log-level LEVEL] [--log-format text|json]\n"
"                   [--log-file PATH] [--user NAME] [--spawn exec|zygote]\n"
"                   [--no-sandbox]\n"
"                   [-x SPEC] [ARG ...]\n"
"       osactor check [-d DIR]\n"
"       osactor ps [-d DIR] [--json]\n"
"       osactor stop [-d DIR] [SERVICE]\n"
"       osactor start|restart [-d DIR] SERVICE\n"
"       osactor send [-d DIR] NAME|PID TOPIC JSON\n"
"       osactor --help | --version\n"
"\n"
"  run     start the app in DIR (default .): its auto_start services, then\n"
"          SPEC (host/ns:entry, ns:entry or entry) on the terminal; exits\n"
"          with SPEC's status.  Without -x, runs until SIGINT or SIGTERM.\n"
"  check   load and validate the app, start nothing.\n"
"  ps      list the actors of the app running in DIR (--json: as JSON).\n"
"  stop    stop SERVICE, or without it the whole app (waits for its exit).\n"
"  start, restart\n"
"          start or restart SERVICE of the app running in DIR.\n"
"  send    deliver a message (TOPIC, a JSON payload) to NAME or PID.\n"
"\n"
"  -d DIR              the app folder (every *.yaml under it is read)\n"
"  -x SPEC             the actor to run with this terminal\n"
"  -v                  log everything to stderr (off under -x otherwise)\n"
"  -W SHIM             the osactor-shim to run actors with\n"
"  --stop-timeout D    how long actors get after CANCEL (default 1s)\n"
"  --log-level LEVEL   error, warn, info or debug\n"
"  --log-format F      text (coloured on a terminal) or json, a line each\n"
"  --log-file PATH     append the log to PATH; SIGHUP reopens it\n"
"  --user NAME         (root) run the app as NAME\n"
"  --spawn HOW         zygote (default: clone actors from a pre-loaded\n"
"                      shim) or exec (exec a shim for each actor)\n"
"  --no-sandbox        no seccomp filter in any actor (for valgrind)\n"
"See osactor(1).\n");
	exit(status);
}

/*
 * The shim: -W, $OSACTOR_SHIM, next to this binary (the build tree),
 * ../libexec/osactor/ from it (an install, wherever it was moved), or
 * the path the build was configured with.
 */
static const char *
find_shim(const char *opt)
{
	static const char *const rel[] = {
		"osactor-shim", "../libexec/osactor/osactor-shim"
	};
	static char	 path[PATH_MAX];
	char		 self[PATH_MAX], *dir;
	ssize_t		 n;
	size_t		 i;

	if (opt != NULL)
		return opt;
	if (getenv("OSACTOR_SHIM") != NULL && *getenv("OSACTOR_SHIM") != '\0')
		return getenv("OSACTOR_SHIM");
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) > 0) {
		self[n] = '\0';
		dir = dirname(self);
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, rel[i]);
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	return OSACTOR_SHIM_PATH;
}

/* Find the entry named by s: "ns:name", or a name unique to one namespace. */
static struct entry *
find_entry(const char *s, char **why)
{
	struct entry	*e, *found = NULL;
	size_t		 i, n = 0;

	if (strchr(s, ':') != NULL) {
		if ((found = config_find(sup.app, s)) == NULL)
			xasprintf(why, "no entry \"%s\"", s);
		return found;
	}
	for (i = 0; i < sup.app->nentries; i++) {
		e = sup.app->entries[i];
		if (strcmp(e->name, s) == 0) {
			found = e;
			n++;
		}
	}
	if (n == 0)
		xasprintf(why, "no entry named \"%s\"", s);
	else if (n > 1)
		xasprintf(why, "\"%s\" is in several namespaces; say ns:%s", s, s);
	return n == 1 ? found : NULL;
}

static struct entry *
only_terminal_host(char **why)
{
	struct entry	*found = NULL;
	size_t		 i, n = 0;

	for (i = 0; i < sup.app->nentries; i++)
		if (sup.app->entries[i]->kind == ENTRY_TERMINAL_HOST) {
			found = sup.app->entries[i];
			n++;
		}
	if (n != 1)
		xasprintf(why, n == 0 ? "the app has no terminal.host" :
		    "the app has several terminal.host entries; say HOST/ENTRY");
	return n == 1 ? found : NULL;
}

/* -x SPEC into the main entry and host; exits on an error. */
static void
resolve_spec(const char *spec)
{
	char		*why = NULL, *host = NULL;
	const char	*slash = strchr(spec, '/'), *ent = spec;

	if (slash != NULL) {
		host = xstrndup(spec, (size_t)(slash - spec));
		ent = slash + 1;
		if ((sup.main_host = config_find(sup.app, host)) == NULL)
			xasprintf(&why, "no host \"%s\"", host);
		else if (sup.main_host->kind != ENTRY_TERMINAL_HOST &&
		    sup.main_host->kind != ENTRY_PROCESS_HOST)
			xasprintf(&why, "\"%s\" is a %s, not a host", host,
			    entry_kind_name(sup.main_host->kind));
	} else
		sup.main_host = only_terminal_host(&why);
	if (why == NULL && (sup.main_entry = find_entry(ent, &why)) != NULL &&
	    sup.main_entry->kind != ENTRY_PROCESS_LUA)
		xasprintf(&why, "\"%s\" is a %s, not a process.lua",
		    sup.main_entry->id, entry_kind_name(sup.main_entry->kind));
	free(host);
	if (why != NULL) {
		fprintf(stderr, "osactor: -x %s: %s (in %s)\n", spec, why,
		    sup.app->dir);
		exit(EXIT_CONFIG);
	}
}

static struct app *
load_app(const char *dir)
{
	struct app	*app = xcalloc(1, sizeof(*app));
	char		*errors = NULL;

	if (config_load(dir, app, &errors) == -1) {
		fprintf(stderr, "%s\n", errors);
		exit(EXIT_CONFIG);
	}
	free(errors);
	return app;
}

enum { OPT_STOP_TIMEOUT = 256, OPT_LOG_LEVEL, OPT_HELP, OPT_VERSION,
	OPT_USER, OPT_LOG_FILE, OPT_LOG_FORMAT, OPT_SPAWN, OPT_NO_SANDBOX };

static const struct option long_opts[] = {
	{ "stop-timeout", required_argument, NULL, OPT_STOP_TIMEOUT },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "user", required_argument, NULL, OPT_USER },
	{ "log-file", required_argument, NULL, OPT_LOG_FILE },
	{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
	{ "spawn", required_argument, NULL, OPT_SPAWN },
	{ "no-sandbox", no_argument, NULL, OPT_NO_SANDBOX },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	const char	*dir;
	const char	*spec;
	const char	*shim;
	int		 verbose;
	int		 level;
	const char	*user;
	const char	*log_file;
	int		 log_json;
};

/*
 * Without -x the app is a set of services: they get their own
 * lifecycle.stop_timeout (the longest of them) unless one was given.
 */
static void
default_stop_timeout(void)
{
	size_t	 i;

	sup.stop_timeout = 0;
	for (i = 0; i < sup.app->nentries; i++)
		if (sup.app->entries[i]->kind == ENTRY_PROCESS_SERVICE &&
		    sup.app->entries[i]->lc.stop_timeout > sup.stop_timeout)
			sup.stop_timeout = sup.app->entries[i]->lc.stop_timeout;
}

static void
parse_stop_timeout(const char *s)
{
	const char	*why;

	if (duration_parse(s, strlen(s), &sup.stop_timeout, &why) == -1 ||
	    sup.stop_timeout < 0) {
		fprintf(stderr, "osactor: --stop-timeout %s: %s\n", s,
		    sup.stop_timeout < 0 ? "must not be negative" : why);
		exit(EXIT_USAGE);
	}
	sup.stop_timeout_set = 1;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	int	 c;

	while ((c = getopt_long(argc, argv, "+d:x:vW:h", long_opts,
	    NULL)) != -1) {
		switch (c) {
		case 'd':
			o->dir = optarg;
			break;
		case 'x':
			o->spec = optarg;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'W':
			o->shim = optarg;
			break;
		case OPT_STOP_TIMEOUT:
			parse_stop_timeout(optarg);
			break;
		case OPT_LOG_LEVEL:
			if ((o->level = log_level_parse(optarg)) == -1) {
				fprintf(stderr, "osactor: unknown log level "
				    "\"%s\"\n", optarg);
				exit(EXIT_USAGE);
			}
			break;
		case 'h':
		case OPT_HELP:
			usage(0);
		case OPT_VERSION:
			printf("osactor %s\n", OSACTOR_VERSION);
			exit(0);
		case OPT_USER:
			o->user = optarg;
			break;
		case OPT_LOG_FILE:
			o->log_file = optarg;
			break;
		case OPT_LOG_FORMAT:
			if (strcmp(optarg, "text") != 0 &&
			    strcmp(optarg, "json") != 0) {
				fprintf(stderr, "osactor: --log-format is text "
				    "or json, not \"%s\"\n", optarg);
				exit(EXIT_USAGE);
			}
			o->log_json = strcmp(optarg, "json") == 0;
			break;
		case OPT_SPAWN:
			if (strcmp(optarg, "exec") != 0 &&
			    strcmp(optarg, "zygote") != 0) {
				fprintf(stderr, "osactor: --spawn is exec or "
				    "zygote, not \"%s\"\n", optarg);
				exit(EXIT_USAGE);
			}
			sup.spawn_exec = strcmp(optarg, "exec") == 0;
			break;
		case OPT_NO_SANDBOX:
			sup.no_sandbox = 1;
			break;
		default:
			usage(EXIT_USAGE);
		}
	}
	return optind;
}

/* --user: root drops to NAME before reading the app. */
static void
drop_privileges(const struct opts *o)
{
	char	*err = NULL;

	if (o->user == NULL)
		return;
	if (geteuid() != 0) {
		fprintf(stderr, "osactor: --user needs root\n");
		exit(EXIT_USAGE);
	}
	if (privdrop(o->user, &err) == -1) {
		fprintf(stderr, "osactor: %s\n", err);
		exit(1);
	}
}

/*
 * Each live actor holds one socket in the supervisor, so the usual soft
 * limit of 1024 open files would cap an app at about a thousand actors:
 * lift it to the hard limit, which needs no privilege.  Actors inherit
 * it unless their lifecycle limits set open_files.
 */
static void
raise_nofile(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warnx("getrlimit RLIMIT_NOFILE: %s", strerror(errno));
		return;
	}
	if (rl.rlim_cur == rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warnx("setrlimit RLIMIT_NOFILE to %llu: %s",
		    (unsigned long long)rl.rlim_max, strerror(errno));
}

static int
cmd_run(int argc, char **argv, struct opts *o)
{
	char	*err = NULL;

	drop_privileges(o);
	sup.app = load_app(o->dir);
	sup.title = xstrdup(sup.app->nentries > 0 ?
	    sup.app->entries[0]->id : "app");
	*strchr(sup.title, ':') = '\0';
	if (sup.stop_timeout < 0 && o->spec != NULL)
		sup.stop_timeout = 1000000000LL;
	else if (sup.stop_timeout < 0)
		default_stop_timeout();
	if (o->spec != NULL) {
		resolve_spec(o->spec);
		sup.main_args = argv;
		sup.main_nargs = argc;
	}
	if (o->level < 0)
		o->level = o->verbose ? LOG_DEBUG :
		    o->spec != NULL ? LOG_OFF : LOG_INFO;
	sup.log_level = o->level;
	log_init(o->level, "osactor");
	if (log_open(o->log_file, o->log_json, &err) == -1) {
		fprintf(stderr, "osactor: --log-file %s\n", err);
		free(err);
		return 1;
	}
	if (geteuid() == 0)
		log_warnx("running as root; --user NAME runs the app as NAME");
	raise_nofile();
	sup.shim_path = find_shim(o->shim);
	if (access(sup.shim_path, X_OK) == -1) {
		fprintf(stderr, "osactor: %s: %s (use -W or OSACTOR_SHIM)\n",
		    sup.shim_path, strerror(errno));
		return 70;
	}
	/* The folder tells apart several apps of one namespace in ps. */
	setproctitle("-osactor: supervisor %s %s", sup.title, sup.app->dir);
	return run_app();
}

int
main(int argc, char **argv)
{
	struct opts	 o = { ".", NULL, NULL, 0, -1, NULL, NULL, 0 };
	const char	*cmd;
	int		 n;

	setproctitle_init(argc, argv, environ);
	sup.stop_timeout = -1;
	n = parse_opts(argc, argv, &o);
	if (n >= argc)
		usage(EXIT_USAGE);
	cmd = argv[n];
	if (strcmp(cmd, "ps") == 0 || strcmp(cmd, "stop") == 0 ||
	    strcmp(cmd, "start") == 0 || strcmp(cmd, "restart") == 0 ||
	    strcmp(cmd, "send") == 0)
		return ctl_main(cmd, argc - n, argv + n, o.dir);
	optind = n + 1;
	n = parse_opts(argc, argv, &o);
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - n, argv + n, &o);
	if (strcmp(cmd, "check") == 0) {
		if (n != argc)
			usage(EXIT_USAGE);
		config_free(load_app(o.dir));
		printf("%s: ok\n", o.dir);
		return 0;
	}
	fprintf(stderr, "osactor: unknown command \"%s\"\n", cmd);
	usage(EXIT_USAGE);
}
