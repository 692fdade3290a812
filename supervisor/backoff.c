/*
 * backoff.c: the delay before a failed service's next start (API.md
 * section 7): initial_delay * backoff_factor^(n-1), moved by up to
 * +-jitter of itself, then capped at max_delay, so jitter never takes a
 * delay past the cap.  No delay is shorter than RESTART_MIN_DELAY, even
 * with jitter 1, so a service that fails at once never spins.
 */
#include <math.h>
#include <stdint.h>

#include "config.h"

/*
 * Attempt n (1-based); u in [-1, 1] is the random draw, so tests can
 * pick the extremes.
 */
int64_t
backoff_delay(const struct restart_policy *p, int64_t n, double u)
{
	double	 d;

	d = (double)p->initial_delay * pow(p->backoff_factor, (double)(n - 1));
	d += d * u * p->jitter;
	if (!(d < (double)p->max_delay))	/* also inf and NaN */
		d = (double)p->max_delay;
	if (d < (double)RESTART_MIN_DELAY)
		d = (double)RESTART_MIN_DELAY;
	return (int64_t)d;
}
