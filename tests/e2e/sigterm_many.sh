#!/bin/bash
# SIGTERM with 100 live actors: the spawner service holds exactly 100 (it
# neither fails nor is restarted), and on SIGTERM every one is reaped
# (those ignoring CANCEL are killed at the stop timeout), no zombie is
# left, and osactor exits 0.
. "$(dirname "$0")/lib.sh"

app=$TESTS/e2e/apps/many
run_bg "$app"
idlers() { pgrep -c -P "$SUP" -f '^osactor: t:idler '; }
holding() { grep -qs "holding actors=100" "$T/err"; }
wait_for holding || fail "the spawner did not spawn its 100 actors"
all_up() { (( $(idlers) == 100 )); }
wait_for all_up || fail "$(idlers) idlers, want 100"
(( $(grep -c "service t:spawner-service started" "$T/err") == 1 )) ||
	fail "the spawner was restarted"
! grep -q "service t:spawner-service: \(failed\|exited\)" "$T/err" ||
	fail "the spawner ended: $(grep 'spawner-service:' "$T/err")"
snapshot
kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
