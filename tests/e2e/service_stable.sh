#!/bin/bash
# A service that ran longer than stable_threshold before failing starts
# its back-off over: each restart is attempt 1 at the initial delay, so
# max_attempts (2) never marks it failed.
. "$(dirname "$0")/lib.sh"

"$OSACTOR" run -v -W "$OSACTOR_SHIM" -d "$TESTS/e2e/apps/stable" </dev/null \
    >"$T/out" 2>"$T/err" &
SUP=$!
SUPS+=("$SUP")
track "$SUP"
three_restarts() {
	(( $(grep -c "service t:svc: failed .*(attempt 1)" "$T/err") >= 3 ))
}
wait_for three_restarts || fail "no three restarts: $(grep 'service t:svc' "$T/err")"
! grep -q "(attempt 2)" "$T/err" || fail "the attempt count was not reset"
! grep -q "failed after 2 attempts" "$T/err" || fail "marked failed"
kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS"
check_no_leftovers
