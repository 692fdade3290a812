#!/bin/bash
# Back-off with jitter: initial_delay 200ms, backoff_factor 1.5, jitter 0.5,
# max_delay 400ms.  Each delay d*1.5^(n-1) is moved by up to +-50%, then
# capped: every logged delay lies in [d*(1-j), min(d*(1+j), max_delay)],
# at least one differs from the delay without jitter, and each restart
# comes when the log said.
. "$(dirname "$0")/lib.sh"

copy_app "$TESTS/e2e/apps/crash_loop"
sed -i -e 's/initial_delay: 100ms/initial_delay: 200ms/' \
    -e 's/backoff_factor: 2.0/backoff_factor: 1.5/' \
    -e 's/max_delay: 300ms/max_delay: 400ms/' \
    -e 's/jitter: 0$/jitter: 0.5/' "$APP/_index.yaml"
grep -q 'jitter: 0.5' "$APP/_index.yaml" || fail "sed"
run_bg "$APP"
failed_logged() { grep -qsF "service t:crasher: failed after 4" "$T/err"; }
wait_for failed_logged || fail "the service was not marked failed"

check_backoff t:crasher
(( ${#DELAYS[@]} == 4 )) || fail "delays: ${DELAYS[*]}"
plain=(200 300 400 400)	# without jitter, capped
lo=(100 150 225 337)	# d * (1 - j)
hi=(300 400 400 400)	# min(d * (1 + j), max_delay)
moved=0
for i in 0 1 2 3; do
	d=${DELAYS[i]}
	(( d >= lo[i] && d <= hi[i] )) ||
		fail "attempt $((i + 1)): delay $d ms outside [${lo[i]}, ${hi[i]}]"
	(( d != plain[i] )) && moved=1
done
(( moved )) || fail "no jitter: delays ${DELAYS[*]}"

kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS after SIGTERM, want 0"
check_no_leftovers
