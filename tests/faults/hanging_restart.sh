#!/bin/bash
# Case 16, hanging-restart: a service whose every start fails (its actor
# errors at once; unlimited attempts, 100 ms apart) loops for as long as
# it is let, and meanwhile the control socket answers: osactor ps, as a
# table and as JSON, shows it restarting with its restart count climbing;
# osactor stop SERVICE stops the loop (stopped, no actor left, the count
# stays) and the supervisor's descriptors are back at the baseline, so
# the loop leaked none; started again it loops again, and osactor stop of
# the whole app ends it: the main actor gets its CANCEL, the app exits 0
# and the stop returns 0 once it has gone.
. "$(dirname "$0")/lib.sh"

# case: the main actor waits for the shutdown's CANCEL.
fault_app '
local function case()
    local events = process.events()
    while true do
        local ev = events:receive()
        if ev.kind == process.event.CANCEL then
            io.print("cancel " .. tostring(ev.reason))
            return
        end
    end
end' '  - name: crash
    kind: process.lua
    source: return { main = function() error("crashed on purpose") end }
  - name: crasher
    kind: process.service
    process: t:crash
    host: t:procs
    lifecycle:
      restart:
        initial_delay: 100ms
        backoff_factor: 1.0
        max_delay: 100ms
        jitter: 0
        max_attempts: 0'
# Long enough that the main actor is never killed at the stop below.
start_fault --stop-timeout 60s

# ctl COMMAND ARGS...: osactor COMMAND on this app.
ctl() {
	"$OSACTOR" "$1" -d "$APP" "${@:2}" 2>"$T/ctl.err"
}
# crasher_row: set R to the words of ps's row for the service t:crasher
# (its slot while it has no actor, else its actor's row).
crasher_row() {
	local line
	line=$(ctl ps | awk '$5 == "t:crasher"') || return 1
	read -r -a R <<<"$line"
	[[ ${#R[@]} == 12 ]]
}
# looping N: ps answers and shows the service waiting to restart, N or
# more restarts done.
looping() {
	crasher_row && [[ ${R[6]} == restarting && ${R[11]} -ge $1 ]]
}
stopped() {
	crasher_row && [[ ${R[1]} == - && ${R[6]} == stopped ]]
}
# no_crash_actor: the supervisor has no child running t:crash.
no_crash_actor() {
	local p
	scan "$SUP"
	for p in "${!KIDS[@]}"; do
		[[ ${KIDS[$p]} == "osactor: t:crash "* ]] && return 1
	done
	return 0
}

# Not auto_start: nothing of it is in the baseline.
stopped || fail "t:crasher before its start: ${R[*]}"
ctl start t:crasher || fail "start: $(cat "$T/ctl.err")"
wait_for looping 3 || fail "t:crasher not seen restarting: ${R[*]}"
ctl ps --json >"$T/ps.json" || fail "ps --json: $(cat "$T/ctl.err")"
grep -q '"service": *"t:crasher".*"state": *"\(restarting\|running\)"' \
    "$T/ps.json" || fail "ps --json: $(cat "$T/ps.json")"
grep -qF "service t:crasher: failed" "$T/err" ||
	fail "no restart logged: $(tail -n 5 "$T/err")"
running "$SUP" || fail "the supervisor died in the loop"

# Stop the looping service: it stays stopped, with no actor, and the
# descriptors its restarts used are all closed again.
ctl stop t:crasher || fail "stop t:crasher: $(cat "$T/ctl.err")"
wait_for stopped || fail "t:crasher not stopped: ${R[*]}"
wait_for no_crash_actor || fail "a t:crash actor runs after the stop"
count=${R[11]}
{ stopped && [[ ${R[11]} == "$count" ]]; } ||
	fail "t:crasher restarted after its stop: ${R[*]}"
check_standing

# Loop again, then stop the whole app in the middle of it.
ctl start t:crasher || fail "start again: $(cat "$T/ctl.err")"
wait_for looping 2 || fail "t:crasher not restarting again: ${R[*]}"
"$OSACTOR" stop -d "$APP" 2>"$T/stop.err" &
stop_pid=$!
wait_for out_has "cancel service stopping" ||
	fail "the main actor got no CANCEL"
wait_done
running "$SUP" || fail "the supervisor died at the stop"
zombie_children "$SUP" && fail "zombie children of the supervisor"
send_line quit
close_stdin
wait_exit "$SUP" 20
[[ $STATUS == 0 ]] || fail "exit status $STATUS after osactor stop, want 0"
wait "$stop_pid" || fail "osactor stop: $? $(cat "$T/stop.err")"
check_no_leftovers
