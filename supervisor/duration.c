/*
 * duration.c: Go's time.ParseDuration and Duration.String(), rewritten
 * from the Go rules so programs written for Wippy keep their duration
 * strings: a sign, then one or more "<decimal><unit>" terms, units ns, us,
 * µs, ms, s, m, h.  Fractions go through a double exactly as Go does, so
 * "1.1h" gives the same nanoseconds in both runtimes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "duration.h"

#define NS_US	1000ULL
#define NS_MS	(1000ULL * NS_US)
#define NS_S	(1000ULL * NS_MS)
#define NS_M	(60ULL * NS_S)
#define NS_H	(60ULL * NS_M)
#define ABS_MAX	(1ULL << 63)	/* magnitude of INT64_MIN */

static const struct {
	const char	*name;
	uint64_t	 ns;
} duration_units[] = {
	{ "ns", 1 },
	{ "us", NS_US },
	{ "\xc2\xb5s", NS_US },	/* U+00B5 micro sign */
	{ "\xce\xbcs", NS_US },	/* U+03BC Greek mu */
	{ "ms", NS_MS },
	{ "s", NS_S },
	{ "m", NS_M },
	{ "h", NS_H },
};

static int
duration_fail(const char **why, const char *msg)
{
	if (why != NULL)
		*why = msg;
	return -1;
}

static int
duration_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whole part: more than 2^63 cannot be a duration whatever the unit. */
static int
duration_int(const char **pp, const char *end, uint64_t *v)
{
	const char	*p = *pp;
	uint64_t	 x = 0;

	for (; p < end && duration_isdigit(*p); p++) {
		if (x > ABS_MAX / 10)
			return -1;
		x = x * 10 + (uint64_t)(*p - '0');
		if (x > ABS_MAX)
			return -1;
	}
	*pp = p;
	*v = x;
	return 0;
}

/* Fraction digits past what fits only lose precision, as in Go. */
static void
duration_frac(const char **pp, const char *end, uint64_t *f, double *scale)
{
	const char	*p = *pp;
	uint64_t	 x = 0, y;
	int		 full = 0;

	*scale = 1;
	for (; p < end && duration_isdigit(*p); p++) {
		if (full)
			continue;
		if (x > (ABS_MAX - 1) / 10) {
			full = 1;
			continue;
		}
		y = x * 10 + (uint64_t)(*p - '0');
		if (y > ABS_MAX) {
			full = 1;
			continue;
		}
		x = y;
		*scale *= 10;
	}
	*pp = p;
	*f = x;
}

static int
duration_unit(const char *u, size_t len, uint64_t *ns)
{
	size_t	 i;

	for (i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]);
	    i++) {
		if (strlen(duration_units[i].name) == len &&
		    memcmp(duration_units[i].name, u, len) == 0) {
			*ns = duration_units[i].ns;
			return 0;
		}
	}
	return -1;
}

/* One "<decimal><unit>" term; its magnitude in nanoseconds goes to *out. */
static int
duration_term(const char **pp, const char *end, uint64_t *out,
    const char **why)
{
	const char	*p = *pp, *u;
	uint64_t	 v, f = 0, unit;
	double		 scale = 1;
	int		 pre, post = 0;

	if (*p != '.' && !duration_isdigit(*p))
		return duration_fail(why, "expected a number");
	u = p;
	if (duration_int(&p, end, &v) == -1)
		return duration_fail(why, "duration out of range");
	pre = p != u;
	if (p < end && *p == '.') {
		u = ++p;
		duration_frac(&p, end, &f, &scale);
		post = p != u;
	}
	if (!pre && !post)
		return duration_fail(why, "expected digits around \".\"");
	for (u = p; p < end && *p != '.' && !duration_isdigit(*p); p++)
		continue;
	if (p == u)
		return duration_fail(why, "missing unit (use ns, us, ms, s, m "
		    "or h)");
	if (duration_unit(u, (size_t)(p - u), &unit) == -1)
		return duration_fail(why, "unknown unit (use ns, us, ms, s, m "
		    "or h)");
	if (v > ABS_MAX / unit)
		return duration_fail(why, "duration out of range");
	v *= unit;
	if (f > 0) {
		v += (uint64_t)((double)f * ((double)unit / scale));
		if (v > ABS_MAX)
			return duration_fail(why, "duration out of range");
	}
	*pp = p;
	*out = v;
	return 0;
}

int
duration_parse(const char *s, size_t len, int64_t *ns, const char **why)
{
	const char	*p = s, *end = s + len;
	uint64_t	 total = 0, v;
	int		 neg = 0;

	if (len == 0)
		return duration_fail(why, "empty duration");
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (end - p == 1 && *p == '0') {
		*ns = 0;
		return 0;
	}
	if (p == end)
		return duration_fail(why, "sign without a number");
	while (p < end) {
		if (duration_term(&p, end, &v, why) == -1)
			return -1;
		if (v > ABS_MAX - total)
			return duration_fail(why, "duration out of range");
		total += v;
	}
	if (!neg && total > INT64_MAX)
		return duration_fail(why, "duration out of range");
	if (neg)
		*ns = total == ABS_MAX ? INT64_MIN : -(int64_t)total;
	else
		*ns = (int64_t)total;
	return 0;
}

/*
 * Writes v / 10^prec's fraction (".5", trailing zeros dropped, nothing
 * when zero) right-aligned before *w; returns v / 10^prec.
 */
static uint64_t
duration_fmt_frac(char *buf, size_t *w, uint64_t v, int prec)
{
	int	 i, print = 0;
	char	 digit;

	for (i = 0; i < prec; i++) {
		digit = (char)(v % 10);
		print = print || digit != 0;
		if (print)
			buf[--*w] = (char)('0' + digit);
		v /= 10;
	}
	if (print)
		buf[--*w] = '.';
	return v;
}

static void
duration_fmt_int(char *buf, size_t *w, uint64_t v)
{
	do {
		buf[--*w] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
}

/* Below a second Go switches to ns, µs or ms with a fraction: "1.5ms". */
static void
duration_fmt_small(char *buf, size_t *w, uint64_t u)
{
	int	 prec;

	buf[--*w] = 's';
	if (u < NS_US) {
		prec = 0;
		buf[--*w] = 'n';
	} else if (u < NS_MS) {
		prec = 3;
		buf[--*w] = '\xb5';
		buf[--*w] = '\xc2';
	} else {
		prec = 6;
		buf[--*w] = 'm';
	}
	u = duration_fmt_frac(buf, w, u, prec);
	duration_fmt_int(buf, w, u);
}

static void
duration_fmt_large(char *buf, size_t *w, uint64_t u)
{
	buf[--*w] = 's';
	u = duration_fmt_frac(buf, w, u, 9);
	duration_fmt_int(buf, w, u % 60);
	u /= 60;
	if (u == 0)
		return;
	buf[--*w] = 'm';
	duration_fmt_int(buf, w, u % 60);
	u /= 60;
	if (u == 0)
		return;
	buf[--*w] = 'h';
	duration_fmt_int(buf, w, u);
}

void
duration_format(int64_t ns, char *out, size_t outlen)
{
	char		 buf[DURATION_STRLEN];
	size_t		 w = sizeof(buf);
	uint64_t	 u;

	if (outlen == 0)
		return;
	u = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	if (u == 0) {
		snprintf(out, outlen, "0s");
		return;
	}
	buf[--w] = '\0';
	if (u < NS_S)
		duration_fmt_small(buf, &w, u);
	else
		duration_fmt_large(buf, &w, u);
	if (ns < 0)
		buf[--w] = '-';
	snprintf(out, outlen, "%s", buf + w);
}
