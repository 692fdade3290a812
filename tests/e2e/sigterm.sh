#!/bin/bash
# SIGTERM to the supervisor while the -x actor runs: an orderly shutdown,
# exit status 143 within a bounded wait, every actor reaped (no zombie while
# it runs, no process of the app afterwards).
. "$(dirname "$0")/lib.sh"

start_seed

# One echo, so a worker has come and gone: the supervisor must reap it.
send_line "ping"
wait_for out_line_ends "  PING" || fail "no echo"
worker='osactor: app:worker {app:processes|0x00004}'
gone_and_reaped() {
	! actor_pid "$SUP" "$worker" && ! zombie_children "$SUP"
}
wait_for gone_and_reaped || fail "the worker was not reaped"

kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 143 ]] || fail "exit status $STATUS after SIGTERM, want 143"
check_no_leftovers
