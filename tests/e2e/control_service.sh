#!/bin/bash
# osactor restart, stop and start of the tutorial's relay-service: a restart
# gives a new relay (new actor pid, new OS process) that registers "relay"
# again; a stopped service shows as its slot in ps and stays down; start
# brings it back.  Then `osactor stop` ends the whole app and returns once
# it is gone.
. "$(dirname "$0")/lib.sh"

export OSACTOR_RUNTIME_DIR=$T/run
start_seed

ctl() {
	"$OSACTOR" "$@" -d "$APP" 2>"$T/ctl.err"
}
# relay_row: set R to the words of ps's row for app:relay.
relay_row() {
	local line
	line=$("$OSACTOR" ps -d "$APP" | awk '$3 == "app:relay"') || return 1
	read -r -a R <<<"$line"
	[[ ${#R[@]} == 12 ]]
}
relay_row || fail "no relay in ps"
[[ ${R[0]} == '{app:processes|0x00002}' && ${R[6]} == running ]] ||
	fail "relay row: ${R[*]}"
old_pid=${R[0]} old_os=${R[1]}

# "${R[@]}" is only set by relay_row, which the waits call.
new_relay() {
	relay_row && [[ ${R[0]} != "$old_pid" && ${R[0]} == '{app:processes|'* &&
	    ${R[6]} == running && ${R[5]} == relay ]]
}
"$OSACTOR" restart -d "$APP" app:relay-service 2>"$T/ctl.err" ||
	fail "restart: $(cat "$T/ctl.err")"
wait_for new_relay || fail "no new relay after restart: ${R[*]}"
[[ ${R[1]} != "$old_os" ]] || fail "the restarted relay is the same process"
running "$old_os" && fail "the old relay still runs"
send_line "after restart"
wait_for out_line_ends "  AFTER RESTART" || fail "no echo through the new relay"

# stop: the slot row, state stopped, no OS pid; a second stop is an error.
stopped() {
	relay_row && [[ ${R[0]} == '{node:control|0x00001}' && ${R[1]} == - &&
	    ${R[4]} == app:relay-service && ${R[6]} == stopped ]]
}
old_pid=${R[0]} old_os=${R[1]}
"$OSACTOR" stop -d "$APP" relay-service 2>"$T/ctl.err" ||
	fail "stop: $(cat "$T/ctl.err")"
wait_for stopped || fail "relay-service not shown stopped: ${R[*]}"
running "$old_os" && fail "the relay still runs after stop"
"$OSACTOR" stop -d "$APP" relay-service 2>"$T/ctl.err"
[[ $? == 1 ]] || fail "stopping a stopped service: want 1"
grep -q "not running" "$T/ctl.err" || fail "stop twice: $(cat "$T/ctl.err")"

# start brings it back; a second start, or an unknown service, is an error.
"$OSACTOR" start -d "$APP" relay-service 2>"$T/ctl.err" ||
	fail "start: $(cat "$T/ctl.err")"
wait_for new_relay || fail "no relay after start: ${R[*]}"
"$OSACTOR" start -d "$APP" relay-service 2>"$T/ctl.err"
[[ $? == 1 ]] || fail "starting a running service: want 1"
"$OSACTOR" restart -d "$APP" nope 2>"$T/ctl.err"
[[ $? == 1 ]] || fail "restart of an unknown service: want 1"
grep -qF 'no service "nope"' "$T/ctl.err" || fail "unknown: $(cat "$T/ctl.err")"

# The whole app: the client returns once the supervisor has exited.
sock=$(echo "$T"/run/*.sock)
[[ -S $sock ]] || fail "no control socket"
actor_pid "$SUP" "$CLI_TITLE" || fail "no CLI"
cli=$PID
relay=${R[1]}
"$OSACTOR" stop -d "$APP" 2>"$T/ctl.err" || fail "stop: $(cat "$T/ctl.err")"
[[ ! -e $sock ]] || fail "osactor stop returned before the socket was gone"
running "$cli" && fail "osactor stop returned while the CLI runs"
running "$relay" && fail "osactor stop returned while the relay runs"
wait_exit "$SUP" 3
# The CLI takes the CANCEL as an end: status 0, as after Ctrl-D.
[[ $STATUS == 0 ]] || fail "exit status $STATUS after osactor stop, want 0"
check_no_leftovers
