/*
 * backoff_test.c: backoff_delay, the wait before a failed service's next
 * start: exponential from initial_delay, jitter within +-jitter of the
 * delay, the max_delay cap applied after the jitter, and the floor.
 */
#include <stdint.h>

#include "config.h"
#include "unit.h"

#define MS	1000000LL

static const struct restart_policy plain = {
	100 * MS, 1000 * MS, 2.0, 0.0, 0
};

static void
test_exponential(void)
{
	CHECK(backoff_delay(&plain, 1, 0.0) == 100 * MS);
	CHECK(backoff_delay(&plain, 2, 0.0) == 200 * MS);
	CHECK(backoff_delay(&plain, 4, 0.0) == 800 * MS);
	CHECK(backoff_delay(&plain, 5, 0.0) == 1000 * MS);
	CHECK(backoff_delay(&plain, 1000000, 0.0) == 1000 * MS);
	/* jitter 0: the draw does not matter */
	CHECK(backoff_delay(&plain, 2, 1.0) == 200 * MS);
	CHECK(backoff_delay(&plain, 2, -1.0) == 200 * MS);
}

static void
test_jitter(void)
{
	struct restart_policy	 p = { 400 * MS, 10000 * MS, 2.0, 0.25, 0 };

	CHECK(backoff_delay(&p, 1, 1.0) == 500 * MS);
	CHECK(backoff_delay(&p, 1, -1.0) == 300 * MS);
	CHECK(backoff_delay(&p, 2, 0.5) == 900 * MS);
}

/* The cap comes after the jitter: max_delay is never passed. */
static void
test_cap_after_jitter(void)
{
	struct restart_policy	 p = { 1000 * MS, 8000 * MS, 2.0, 0.1, 0 };

	CHECK(backoff_delay(&p, 4, 1.0) == 8000 * MS);
	CHECK(backoff_delay(&p, 4, -1.0) == 7200 * MS);
	CHECK(backoff_delay(&p, 5, 1.0) == 8000 * MS);
	CHECK(backoff_delay(&p, 5, -1.0) == 8000 * MS);
	CHECK(backoff_delay(&p, 60, -1.0) == 8000 * MS);
}

/* Never under RESTART_MIN_DELAY, even with jitter 1. */
static void
test_floor(void)
{
	struct restart_policy	 p = { 100 * MS, 100 * MS, 1.0, 1.0, 0 };
	struct restart_policy	 z = { 0, 0, 2.0, 0.0, 0 };

	CHECK(RESTART_MIN_DELAY == 100 * MS);
	CHECK(backoff_delay(&p, 1, -1.0) == RESTART_MIN_DELAY);
	CHECK(backoff_delay(&p, 3, -0.5) == RESTART_MIN_DELAY);
	CHECK(backoff_delay(&z, 1, 0.0) == RESTART_MIN_DELAY);
	CHECK(backoff_delay(&z, 9, 0.0) == RESTART_MIN_DELAY);
}

int
main(void)
{
	RUN(test_exponential);
	RUN(test_jitter);
	RUN(test_cap_after_jitter);
	RUN(test_floor);
	UNIT_EXIT();
}
