#!/bin/bash
# API.md section 4: an actor that has never called process.events()
# cannot see a CANCEL, so shutdown stops it at once; one that has opened
# events() gets the CANCEL and answers before it returns.  The app runs
# with a 60 s stop timeout and is stopped by SIGTERM, then by `osactor
# stop`, while t:blind waits in inbox:receive() for ever: the app must end
# well within that timeout (a bounded wait), with no actor killed at it,
# after the main actor has seen t:heed's answer and both EXITs.
. "$(dirname "$0")/lib.sh"

export OSACTOR_RUNTIME_DIR=$T/run
app=$TESTS/e2e/apps/unseen_cancel

# stopped_by WAY STATUS: run the app, stop it WAY (term or ctl), check the
# above and that osactor exits with STATUS.
stopped_by() {
	local line
	run_bg "$app" --stop-timeout 60s -x t:main
	wait_for out_has ready || fail "the actors did not start"
	case $1 in
	term) kill -TERM "$SUP" ;;
	ctl) timeout 20 "$OSACTOR" stop -d "$app" 2>"$T/ctl.err" ||
		fail "osactor stop: $(cat "$T/ctl.err")" ;;
	esac
	wait_exit "$SUP" 20
	[[ $STATUS == "$2" ]] || fail "exit status $STATUS after $1, want $2"
	for line in "main cancelled: service stopping" \
	    "heed heard: service stopping" "heed ended: stopped cleanly" \
	    "all seen"; do
		out_has "$line" || fail "no line \"$line\" after $1"
	done
	out_has "blind ended: error stopped at shutdown (service stopping): it never called process.events() to see the CANCEL" ||
		fail "the main actor saw no EXIT of t:blind saying why, after $1: $(grep '^blind ended' "$T/out")"
	grep -qF 'heed got pid.cancel: service stopping' "$T/err" ||
		fail "t:heed did not log its CANCEL after $1"
	! grep -F 'stop timeout; killing it' "$T/err" ||
		fail "an actor was killed at the stop timeout after $1"
	check_no_leftovers
}

stopped_by term 143
stopped_by ctl 0
