/*
 * pid_test.c: pid strings are formatted as API.md section 8 shows, and
 * only well-formed ones parse (anything else may be a registered name).
 */
#include <stdlib.h>
#include <string.h>

#include "pid.h"
#include "unit.h"

static void
test_format(void)
{
	char	*s;

	s = pid_format("app:processes", 4);
	CHECK(strcmp(s, "{app:processes|0x00004}") == 0);
	free(s);
	s = pid_format("app:terminal", 0xabcdef);
	CHECK(strcmp(s, "{app:terminal|0xabcdef}") == 0);
	free(s);
	s = pid_format("h", 0xffffffff);
	CHECK(strcmp(s, "{h|0xffffffff}") == 0);
	free(s);
}

static int
parses(const char *s, uint32_t want)
{
	uint32_t	 id = 0;

	return pid_parse(s, strlen(s), &id) == 0 && id == want;
}

static int
rejects(const char *s)
{
	uint32_t	 id;

	return pid_parse(s, strlen(s), &id) == -1;
}

static void
test_parse(void)
{
	CHECK(parses("{app:processes|0x00004}", 4));
	CHECK(parses("{x|0x12345678}", 0x12345678));
	CHECK(parses("{a|b|0x00010}", 16));
	CHECK(rejects("relay"));
	CHECK(rejects(""));
	CHECK(rejects("{app|0x0004}"));		/* fewer than 5 digits */
	CHECK(rejects("{app|0x00000}"));	/* 0 is the supervisor */
	CHECK(rejects("{app|0x000000000}"));	/* over 32 bits */
	CHECK(rejects("{app|0x0000G}"));
	CHECK(rejects("{app|0x0000A}"));	/* uppercase is not ours */
	CHECK(rejects("{|0x00001}"));
	CHECK(rejects("{app|00x0001}"));
	CHECK(rejects("app|0x00001}"));
	CHECK(rejects("{app|0x00001"));
	CHECK(rejects("{app0x00001}"));
}

int
main(void)
{
	RUN(test_format);
	RUN(test_parse);
	UNIT_EXIT();
}
