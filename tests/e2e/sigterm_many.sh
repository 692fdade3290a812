#!/bin/bash
# SIGTERM with 100 live actors: every one is reaped (those ignoring CANCEL
# are killed at the stop timeout), no zombie is left, and osactor exits 0.
. "$(dirname "$0")/lib.sh"

app=$TESTS/e2e/apps/many
"$OSACTOR" run -W "$OSACTOR_SHIM" -d "$app" </dev/null >"$T/out" 2>"$T/err" &
SUP=$!
SUPS+=("$SUP")
track "$SUP"
all_up() {
	(( $(pgrep -c -P "$SUP" -f '^osactor: t:idler ') == 100 ))
}
wait_for all_up || fail "100 actors did not start: $(pgrep -c -P "$SUP")"
kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
