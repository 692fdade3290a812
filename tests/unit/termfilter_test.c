/*
 * termfilter_test.c: the terminal filter lets text and colours through
 * and nothing else that could reprogram the operator's terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "termfilter.h"
#include "unit.h"

/* Filter the pieces as consecutive writes, then end the stream. */
static int
filtered(const char *const *pieces, size_t n, const char *want)
{
	struct termfilter	 tf;
	struct wbuf		 out = { 0 };
	size_t			 i;
	int			 ok;

	termfilter_init(&tf);
	for (i = 0; i < n; i++)
		termfilter_write(&tf, &out, pieces[i], strlen(pieces[i]));
	termfilter_finish(&tf, &out);
	ok = out.len == strlen(want) &&
	    (out.len == 0 || memcmp(out.data, want, out.len) == 0);
	if (!ok)
		fprintf(stderr, "got \"%.*s\", want \"%s\"\n", (int)out.len,
		    out.data ? (const char *)out.data : "", want);
	wbuf_free(&out);
	return ok;
}

static int
filtered1(const char *in, const char *want)
{
	return filtered(&in, 1, want);
}

/* Every split of s into two writes gives the same as one write. */
static int
filtered_any_split(const char *s, const char *want)
{
	char		 a[256], b[256];
	const char	*pieces[2] = { a, b };
	size_t		 i, n = strlen(s);

	if (n >= sizeof(a))
		return 0;
	for (i = 0; i <= n; i++) {
		memcpy(a, s, i);
		a[i] = '\0';
		memcpy(b, s + i, n - i);
		b[n - i] = '\0';
		if (!filtered(pieces, 2, want))
			return 0;
	}
	return 1;
}

static void
test_plain_text(void)
{
	CHECK(filtered1("", ""));
	CHECK(filtered1("hello, world\n", "hello, world\n"));
	CHECK(filtered1("tab\tcr\r\nbell\a", "tab\tcr\r\nbell\a"));
	CHECK(filtered1("[31m not an escape", "[31m not an escape"));
	/* UTF-8 text, including other characters led by 0xc2, is kept. */
	CHECK(filtered1("caf\xc3\xa9 \xc2\xa9 \xe2\x9c\x93",
	    "caf\xc3\xa9 \xc2\xa9 \xe2\x9c\x93"));
}

static void
test_sgr_kept(void)
{
	CHECK(filtered1("\033[31mred\033[0m", "\033[31mred\033[0m"));
	CHECK(filtered1("\033[m", "\033[m"));
	CHECK(filtered1("\033[1;38;5;208mx", "\033[1;38;5;208mx"));
	CHECK(filtered1("\033[0m\033[1m", "\033[0m\033[1m"));
}

static void
test_lone_esc_dropped(void)
{
	CHECK(filtered1("\033", ""));
	CHECK(filtered1("a\033b", "ab"));
	CHECK(filtered1("\033\033\033x", "x"));
	CHECK(filtered1("\033[", "["));
	CHECK(filtered1("\033[12", "[12"));
	CHECK(filtered1("\033\033[32mg", "\033[32mg"));
}

static void
test_other_sequences_dropped(void)
{
	/* OSC: set the window title. */
	CHECK(filtered1("\033]0;pwned\007", "]0;pwned\007"));
	/* CSI that is not SGR: clear screen, cursor moves, modes. */
	CHECK(filtered1("\033[2J", "[2J"));
	CHECK(filtered1("\033[H\033[10;5H", "[H[10;5H"));
	CHECK(filtered1("\033[?1049h", "[?1049h"));
	CHECK(filtered1("\033[31;1x", "[31;1x"));
	/* A colour whose parameters run into another ESC. */
	CHECK(filtered1("\033[31\033[0m", "[31\033[0m"));
	/* RIS (full reset), DCS, charset switch. */
	CHECK(filtered1("\033c", "c"));
	CHECK(filtered1("\033P1$t\033\\", "P1$t\\"));
	CHECK(filtered1("\033(0", "(0"));
	/* C1 controls in UTF-8: 8-bit CSI and OSC. */
	CHECK(filtered1("\xc2\x9b" "2J", "2J"));
	CHECK(filtered1("a\xc2\x9d" "0;t\xc2\x9c" "b", "a0;tb"));
}

/* Longer than any real SGR: judged not one, so the ESC goes. */
static void
test_too_long_sgr(void)
{
	char	 in[200], want[200];

	memcpy(in, "\033[", 2);
	memset(in + 2, '1', 100);
	memcpy(in + 102, "mX", 3);
	want[0] = '[';
	memset(want + 1, '1', 100);
	memcpy(want + 101, "mX", 3);
	CHECK(filtered1(in, want));
}

static void
test_split_writes(void)
{
	const char *const sgr[] = { "\033[3", "1mred", "\033", "[0m" };
	const char *const esc[] = { "x\033", "]0;t" };
	const char *const c1[] = { "\xc2", "\x9b" "2J\xc2", "\xa9" };

	CHECK(filtered(sgr, 4, "\033[31mred\033[0m"));
	CHECK(filtered(esc, 2, "x]0;t"));
	CHECK(filtered(c1, 3, "2J\xc2\xa9"));
	CHECK(filtered_any_split("a\033[1;32mgreen\033[0m\033[2Jz\033c!",
	    "a\033[1;32mgreen\033[0m[2Jzc!"));
	CHECK(filtered_any_split("\033\033[7m\xc2\x9b\xc2\xa9",
	    "\033[7m\xc2\xa9"));
}

/* The strings of the tutorial's cli.lua, whose "[..m" got lost. */
static void
test_tutorial(void)
{
	const char *const banner[] = {
		"\033Echo Client\033", "\n",
		"\033Type messages to echo. Ctrl+C to exit.\n\033", "\n",
		"\033> \033",
	};
	const char *const reply[] = {
		"\033> \033", "hello world\n",
		"\033  HELLO WORLD\033", "\n",
		"\033  from worker: {app:processes|0x00004}\033", "\n",
		"\033  timeout\033", "\n",
		"\nGoodbye!", "\n",
	};
	const char *const repaired[] = {
		"\033[36mEcho Client\033[0m", "\n",
		"\033[33m> \033[0m",
	};

	CHECK(filtered(banner, 5,
	    "Echo Client\nType messages to echo. Ctrl+C to exit.\n\n> "));
	CHECK(filtered(reply, 10,
	    "> hello world\n  HELLO WORLD\n"
	    "  from worker: {app:processes|0x00004}\n  timeout\n"
	    "\nGoodbye!\n"));
	CHECK(filtered(repaired, 3,
	    "\033[36mEcho Client\033[0m\n\033[33m> \033[0m"));
}

int
main(void)
{
	RUN(test_plain_text);
	RUN(test_sgr_kept);
	RUN(test_lone_esc_dropped);
	RUN(test_other_sequences_dropped);
	RUN(test_too_long_sgr);
	RUN(test_split_writes);
	RUN(test_tutorial);
	UNIT_EXIT();
}
