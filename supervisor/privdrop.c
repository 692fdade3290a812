/*
 * privdrop.c: osactor run --user NAME.  Root gives up every privilege
 * before the app is read and before the first fork: supplementary groups,
 * then the group, then the user, and checks that root cannot come back.
 */
#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "osactor.h"
#include "xmalloc.h"

/* 0, or -1 with *err saying why (the caller frees it). */
int
privdrop(const char *user, char **err)
{
	struct passwd	*pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		xasprintf(err, "--user %s: %s", user,
		    errno ? strerror(errno) : "no such user");
		return -1;
	}
	if (control_prepare_user(pw->pw_uid, pw->pw_gid, err) == -1)
		return -1;
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1) {
		xasprintf(err, "--user %s: %s", user, strerror(errno));
		return -1;
	}
	if (pw->pw_uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		xasprintf(err, "--user %s: root privileges came back", user);
		return -1;
	}
	/*
	 * root's runtime folder is not the user's; the control socket goes
	 * in the folder control_prepare_user made, where root finds it.
	 */
	if (setenv("HOME", pw->pw_dir, 1) == -1 ||
	    setenv("USER", pw->pw_name, 1) == -1 ||
	    setenv("LOGNAME", pw->pw_name, 1) == -1 ||
	    unsetenv("XDG_RUNTIME_DIR") == -1) {
		xasprintf(err, "--user %s: setenv: %s", user, strerror(errno));
		return -1;
	}
	return 0;
}
