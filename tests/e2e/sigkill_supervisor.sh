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

# An actor busy in Lua never reads its socket: only PR_SET_PDEATHSIG ends it.
"$OSACTOR" run -W "$OSACTOR_SHIM" -d "$TESTS/e2e/apps/spinner" </dev/null \
    >"$T/out" 2>"$T/err" &
SUP=$!
SUPS+=("$SUP")
track "$SUP"
wait_for actor_pid "$SUP" "osactor: t:spin {t:procs|0x00002}" ||
	fail "the spinning service did not start"
spin=$PID
kill -KILL "$SUP"
wait_exit "$SUP"
spin_gone() {
	! running "$spin"
}
wait_for spin_gone || fail "a busy actor outlives its supervisor"
check_no_leftovers zombies-ok
