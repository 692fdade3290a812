#!/bin/bash
# SIGTERM without -x: a service that ignores its CANCEL is still alive
# once it has seen the CANCEL, and is SIGKILLed when its stop timeout has
# passed (measured from the CANCEL in the log, within 150 ms, never
# earlier): its lifecycle.stop_timeout (500ms), or --stop-timeout (1s)
# when given, which overrides it.  osactor exits 0.
. "$(dirname "$0")/lib.sh"

app=$TESTS/e2e/apps/stubborn

# stop_after MS [OPTIONS]: run the app, SIGTERM it, check the above.
stop_after() {
	local want=$1 t0 t1 gap cancel kill
	shift
	run_bg "$app" "$@"
	wait_for up || fail "the service did not start"
	t0=${EPOCHREALTIME/./}
	kill -TERM "$SUP"
	wait_for -t 5 grep -qF "ignoring CANCEL" "$T/err" ||
		fail "the service never saw its CANCEL"
	running "$PID" || fail "killed before its stop timeout ($want ms)"
	t1=${EPOCHREALTIME/./}
	(( (t1 - t0) / 1000 < want )) ||
		fail "too slow to tell: $(( (t1 - t0) / 1000 )) ms to see the CANCEL"
	wait_exit "$SUP"
	[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
	cancel=$(first_line "service t:svc: stopping") || fail "no CANCEL"
	kill=$(first_line "service t:svc: stop timeout; killing it") ||
		fail "not killed at its stop timeout"
	gap=$(gap_ms "$cancel" "$kill")
	within_ms "$gap" "$want" 150 ||
		fail "killed $gap ms after its CANCEL, want $want ms $*"
	check_no_leftovers
}
# up: the service has opened events(), so it will see a CANCEL (that its
# process exists is not enough); PID is that process.
up() {
	grep -qsF "waiting for CANCEL" "$T/err" && actor_pid "$SUP" \
	    "osactor: t:stubborn {t:procs|0x00002}"
}

stop_after 500
stop_after 1000 --stop-timeout 1s
