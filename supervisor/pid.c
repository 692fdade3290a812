/*
 * pid.c: actor pid strings.  The id after "0x" is the actor's number for
 * the supervisor's whole life, so a pid string names one actor forever.
 */
#include <stdlib.h>
#include <string.h>

#include "pid.h"
#include "xmalloc.h"

/* "{host|0x0000a}": lowercase hex, at least five digits. */
char *
pid_format(const char *host, uint32_t id)
{
	char	*s;

	xasprintf(&s, "{%s|0x%05x}", host, id);
	return s;
}

static int
hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * The actor id of a pid string of n bytes: 0 with *id set, or -1 when s
 * is not a pid string (then it may be a registered name).
 */
int
pid_parse(const char *s, size_t n, uint32_t *id)
{
	const char	*bar;
	uint64_t	 v = 0;
	size_t		 i, digits;
	int		 d;

	if (n < 6 || s[0] != '{' || s[n - 1] != '}')
		return -1;
	if ((bar = memrchr(s, '|', n)) == NULL || bar == s + 1)
		return -1;
	i = (size_t)(bar - s) + 1;
	if (n - i < 4 || s[i] != '0' || s[i + 1] != 'x')
		return -1;
	digits = n - 1 - (i + 2);
	if (digits < 5 || digits > 8)
		return -1;
	for (i += 2; i < n - 1; i++) {
		if ((d = hexdigit(s[i])) == -1)
			return -1;
		v = v * 16 + (uint64_t)d;
	}
	if (v == 0 || v > UINT32_MAX)
		return -1;
	*id = (uint32_t)v;
	return 0;
}
