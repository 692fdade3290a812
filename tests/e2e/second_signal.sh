#!/bin/bash
# A second SIGTERM forces the shutdown: a service that ignores its CANCEL
# and has a long stop_timeout is killed at once, and osactor exits 0.
. "$(dirname "$0")/lib.sh"

mkdir "$T/app" && cp "$TESTS/e2e/apps/stubborn/"* "$T/app/" || fail "copy"
sed -i 's/stop_timeout: 300ms/stop_timeout: 60s/' "$T/app/_index.yaml"
"$OSACTOR" run -v -W "$OSACTOR_SHIM" -d "$T/app" </dev/null >"$T/out" \
    2>"$T/err" &
SUP=$!
SUPS+=("$SUP")
track "$SUP"
up() { grep -q "service t:svc started" "$T/err"; }
wait_for up || fail "the service did not start"
kill -TERM "$SUP"
cancelled() { grep -q "signal 15: stopping" "$T/err"; }
wait_for cancelled || fail "no shutdown on the first SIGTERM"
kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
