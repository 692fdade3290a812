#!/bin/bash
# SIGTERM without -x: a service that ignores its CANCEL is SIGKILLed once
# its lifecycle.stop_timeout has passed, and osactor exits 0.
. "$(dirname "$0")/lib.sh"

app=$TESTS/e2e/apps/stubborn
"$OSACTOR" run -v -W "$OSACTOR_SHIM" -d "$app" </dev/null >"$T/out" 2>"$T/err" &
SUP=$!
SUPS+=("$SUP")
track "$SUP"
up() {
	grep -q "service t:svc started" "$T/err" && actor_pid "$SUP" \
	    "osactor: t:stubborn {t:procs|0x00002}"
}
wait_for up || fail "the service did not start"
kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
grep -q "service t:svc: stop timeout; killing it" "$T/err" ||
	fail "not killed at its stop timeout"
check_no_leftovers
