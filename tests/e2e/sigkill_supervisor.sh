#!/bin/bash
# kill -9 of the supervisor: no actor outlives it (PR_SET_PDEATHSIG).
. "$(dirname "$0")/lib.sh"

start_seed
actor_pid "$SUP" "$CLI_TITLE" || fail "the CLI ended early"
cli=$PID
actor_pid "$SUP" "$RELAY_TITLE" || fail "the relay ended early"
relay=$PID

kill -KILL "$SUP"
wait_exit "$SUP"
actors_gone() {
	! running "$cli" && ! running "$relay"
}
wait_for actors_gone || fail "actors outlive their supervisor"
# Orphans are reaped by whatever adopts them, so zombies are not counted.
check_no_leftovers zombies-ok
