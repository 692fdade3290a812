#!/bin/bash
# A crash loop: each delay is exactly the policy's (initial_delay 100ms,
# backoff_factor 2, capped at max_delay 300ms, no jitter), each restart
# comes at that delay (within 100 ms, never earlier), past max_attempts the
# service is failed with its last error logged, the app runs on, and
# SIGTERM then stops it with status 0.
. "$(dirname "$0")/lib.sh"

app=$TESTS/e2e/apps/crash_loop
run_bg "$app"

gave_up="service t:crasher: failed after 4 attempts; last error: crash.lua:1: crashed on purpose"
failed_logged() { grep -qsF "$gave_up" "$T/err"; }
wait_for failed_logged ||
	fail "not marked failed with its last error: $(grep 'after 4' "$T/err")"
running "$SUP" || fail "the supervisor did not run on"
(( $(grep -c "service t:crasher started" "$T/err") == 5 )) ||
	fail "want 5 starts (1 + 4 restarts)"

check_backoff t:crasher
[[ ${DELAYS[*]} == "100 200 300 300" ]] ||
	fail "delays ${DELAYS[*]} ms, policy says 100 200 300 300"

kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS after SIGTERM, want 0"
check_no_leftovers
