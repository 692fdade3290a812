/*
 * unit.h: the smallest test harness.  Each check that fails prints where;
 * a test program exits 1 when any check failed, and prints one line per
 * test function: "ok NAME" or "FAIL NAME".
 */
#ifndef OSACTOR_UNIT_H
#define OSACTOR_UNIT_H

#include <stdio.h>

static int unit_failed;		/* checks failed in the current test */
static int unit_any_failed;

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
		    __FILE__, __LINE__, #c);				\
		unit_failed++;						\
	}								\
} while (0)

#define RUN(fn) do {							\
	unit_failed = 0;						\
	fn();								\
	printf("%s %s\n", unit_failed ? "FAIL" : "ok", #fn);		\
	if (unit_failed)						\
		unit_any_failed = 1;					\
} while (0)

#define UNIT_EXIT()	return unit_any_failed ? 1 : 0

#endif /* OSACTOR_UNIT_H */
