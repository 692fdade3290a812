/*
 * duration_test.c: duration_parse against Go's time.ParseDuration results
 * (the expected values are what Go 1.22 prints for the same strings) and
 * duration_format against Go's Duration.String().
 */
#include <stdint.h>
#include <string.h>

#include "duration.h"
#include "unit.h"

static int
parse(const char *s, int64_t *ns, const char **why)
{
	*ns = 12345;
	*why = NULL;
	return duration_parse(s, strlen(s), ns, why);
}

static int
parse_is(const char *s, int64_t want)
{
	int64_t		 ns;
	const char	*why;

	if (parse(s, &ns, &why) != 0) {
		fprintf(stderr, "\"%s\": unexpected error: %s\n", s, why);
		return 0;
	}
	if (ns != want) {
		fprintf(stderr, "\"%s\": got %lld, want %lld\n", s,
		    (long long)ns, (long long)want);
		return 0;
	}
	return 1;
}

/* Fails with a message containing `part`, and leaves *ns alone. */
static int
parse_fails(const char *s, const char *part)
{
	int64_t		 ns;
	const char	*why;

	if (parse(s, &ns, &why) != -1) {
		fprintf(stderr, "\"%s\": accepted as %lld\n", s, (long long)ns);
		return 0;
	}
	if (why == NULL || strstr(why, part) == NULL || ns != 12345) {
		fprintf(stderr, "\"%s\": message \"%s\", want \"%s\"\n", s,
		    why ? why : "(null)", part);
		return 0;
	}
	return 1;
}

static int
format_is(int64_t ns, const char *want)
{
	char	 buf[DURATION_STRLEN];

	memset(buf, 'x', sizeof(buf));
	duration_format(ns, buf, sizeof(buf));
	if (strcmp(buf, want) != 0) {
		fprintf(stderr, "%lld: got \"%s\", want \"%s\"\n",
		    (long long)ns, buf, want);
		return 0;
	}
	return 1;
}

static void
test_simple(void)
{
	CHECK(parse_is("0", 0));
	CHECK(parse_is("-0", 0));
	CHECK(parse_is("+0", 0));
	CHECK(parse_is("5s", 5000000000LL));
	CHECK(parse_is("30s", 30000000000LL));
	CHECK(parse_is("1478s", 1478000000000LL));
	CHECK(parse_is("0s", 0));
	CHECK(parse_is("0h", 0));
	CHECK(parse_is("+5s", 5000000000LL));
	CHECK(parse_is("-5s", -5000000000LL));
	CHECK(parse_is("007s", 7000000000LL));
}

static void
test_units(void)
{
	CHECK(parse_is("10ns", 10));
	CHECK(parse_is("11us", 11000));
	CHECK(parse_is("12\xc2\xb5s", 12000));
	CHECK(parse_is("12\xce\xbcs", 12000));
	CHECK(parse_is("13ms", 13000000));
	CHECK(parse_is("14s", 14000000000LL));
	CHECK(parse_is("15m", 900000000000LL));
	CHECK(parse_is("16h", 57600000000000LL));
}

static void
test_fractions(void)
{
	CHECK(parse_is("1.5s", 1500000000));
	CHECK(parse_is(".5s", 500000000));
	CHECK(parse_is("5.s", 5000000000LL));
	CHECK(parse_is("1.004s", 1004000000));
	CHECK(parse_is("1.0040s", 1004000000));
	CHECK(parse_is("100.00100s", 100001000000LL));
	CHECK(parse_is("-1.5h", -5400000000000LL));
	CHECK(parse_is("1.1h", 3960000000000LL));
	/* More fraction digits than fit only lose precision. */
	CHECK(parse_is("0.3333333333333333333h", 1200000000000LL));
	CHECK(parse_is("0.100000000000000000000h", 360000000000LL));
}

static void
test_compound(void)
{
	CHECK(parse_is("3h30m", 12600000000000LL));
	CHECK(parse_is("1h30m0s", 5400000000000LL));
	CHECK(parse_is("10.5s4m", 250500000000LL));
	CHECK(parse_is("-2m3.4s", -123400000000LL));
	CHECK(parse_is("1h2m3s4ms5us6ns", 3723004005006LL));
	CHECK(parse_is("39h9m14.425s", 140954425000000LL));
	CHECK(parse_is("1s1s", 2000000000));
}

static void
test_limits(void)
{
	CHECK(parse_is("9223372036854775807ns", INT64_MAX));
	CHECK(parse_is("-9223372036854775808ns", INT64_MIN));
	CHECK(parse_is("9223372036854775.807us", INT64_MAX));
	CHECK(parse_is("2562047h47m16.854775807s", INT64_MAX));
	CHECK(parse_is("-2562047h47m16.854775808s", INT64_MIN));
	CHECK(parse_fails("9223372036854775808ns", "out of range"));
	CHECK(parse_fails("-9223372036854775809ns", "out of range"));
	CHECK(parse_fails("2562048h", "out of range"));
	CHECK(parse_fails("9223372036854775807ns1ns", "out of range"));
	CHECK(parse_fails("2562047h47m16.854775808s", "out of range"));
	CHECK(parse_fails("99999999999999999999s", "out of range"));
	CHECK(parse_fails("9223372036854775807s", "out of range"));
}

static void
test_errors(void)
{
	const char	*why;
	int64_t		 ns = 7;

	CHECK(parse_fails("", "empty"));
	CHECK(parse_fails("-", "sign"));
	CHECK(parse_fails("+", "sign"));
	CHECK(parse_fails("5", "missing unit"));
	CHECK(parse_fails("1.5", "missing unit"));
	CHECK(parse_fails("3h30", "missing unit"));
	CHECK(parse_fails("00", "missing unit"));
	CHECK(parse_fails("5x", "unknown unit"));
	CHECK(parse_fails("5S", "unknown unit"));
	CHECK(parse_fails("5sec", "unknown unit"));
	CHECK(parse_fails("5 s", "unknown unit"));
	CHECK(parse_fails("1e3s", "unknown unit"));
	CHECK(parse_fails("5\xc2s", "unknown unit"));
	CHECK(parse_fails(".s", "digits"));
	CHECK(parse_fails("-.s", "digits"));
	CHECK(parse_fails(".", "digits"));
	CHECK(parse_fails("s", "expected a number"));
	CHECK(parse_fails("--5s", "expected a number"));
	CHECK(parse_fails(" 5s", "expected a number"));
	CHECK(parse_fails("5s ", "unknown unit"));
	CHECK(parse_fails("1h-5m", "unknown unit"));
	/* The length bounds the input: no reading past it, NULs are data. */
	CHECK(duration_parse("5sXYZ", 2, &ns, &why) == 0 &&
	    ns == 5000000000LL);
	CHECK(duration_parse("5s\0s", 4, &ns, &why) == -1 &&
	    strstr(why, "unknown unit") != NULL);
	CHECK(duration_parse("15", 1, &ns, &why) == -1 &&
	    strstr(why, "missing unit") != NULL);
	CHECK(duration_parse("5s", 2, &ns, NULL) == 0);
	CHECK(duration_parse("5", 1, &ns, NULL) == -1);
}

static void
test_format(void)
{
	char	 small[4];

	CHECK(format_is(0, "0s"));
	CHECK(format_is(1, "1ns"));
	CHECK(format_is(1100, "1.1\xc2\xb5s"));
	CHECK(format_is(2200000, "2.2ms"));
	CHECK(format_is(100000000, "100ms"));
	CHECK(format_is(1500000000, "1.5s"));
	CHECK(format_is(3300000000LL, "3.3s"));
	CHECK(format_is(60000000000LL, "1m0s"));
	CHECK(format_is(250500000000LL, "4m10.5s"));
	CHECK(format_is(5400000000000LL, "1h30m0s"));
	CHECK(format_is(5400000000001LL, "1h30m0.000000001s"));
	CHECK(format_is(-1500000000, "-1.5s"));
	CHECK(format_is(-1, "-1ns"));
	CHECK(format_is(INT64_MAX, "2562047h47m16.854775807s"));
	CHECK(format_is(INT64_MIN, "-2562047h47m16.854775808s"));
	duration_format(5400000000000LL, small, sizeof(small));
	CHECK(strcmp(small, "1h3") == 0);
}

/* What duration_format prints, duration_parse reads back. */
static void
test_roundtrip(void)
{
	static const int64_t	 v[] = { 0, 1, 999, 1000, 1001, 999999,
	    1000000, 1234567891, 59999999999LL, 3600000000000LL,
	    -86400000000001LL, INT64_MAX, INT64_MIN };
	char			 buf[DURATION_STRLEN];
	int64_t			 ns;
	size_t			 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		duration_format(v[i], buf, sizeof(buf));
		CHECK(duration_parse(buf, strlen(buf), &ns, NULL) == 0);
		CHECK(ns == v[i]);
	}
}

int
main(void)
{
	RUN(test_simple);
	RUN(test_units);
	RUN(test_fractions);
	RUN(test_compound);
	RUN(test_limits);
	RUN(test_errors);
	RUN(test_format);
	RUN(test_roundtrip);
	UNIT_EXIT();
}
