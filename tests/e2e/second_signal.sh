#!/bin/bash
# A second SIGTERM forces the shutdown: a service that ignores its CANCEL
# and has a 60 s stop_timeout outlives the first SIGTERM (it is still
# alive once it has seen the CANCEL), and the second kills it at once, not
# at its stop timeout; osactor exits 0.
. "$(dirname "$0")/lib.sh"

copy_app "$TESTS/e2e/apps/stubborn"
sed -i 's/stop_timeout: 500ms/stop_timeout: 60s/' "$APP/_index.yaml"
grep -q 'stop_timeout: 60s' "$APP/_index.yaml" || fail "sed"
run_bg "$APP"
# up: the service has opened events(), so it will see a CANCEL (that its
# process exists is not enough); PID is that process.
up() {
	grep -qsF "waiting for CANCEL" "$T/err" && actor_pid "$SUP" \
	    "osactor: t:stubborn {t:procs|0x00002}"
}
wait_for up || fail "the service did not start"
kill -TERM "$SUP"
wait_for -t 5 grep -qF "ignoring CANCEL" "$T/err" ||
	fail "the service never saw its CANCEL"
running "$PID" || fail "the first SIGTERM killed the service"
kill -TERM "$SUP"
wait_exit "$SUP" 5
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
! grep -q "stop timeout; killing it" "$T/err" ||
	fail "killed by its stop timeout, not by the second signal"
check_no_leftovers
