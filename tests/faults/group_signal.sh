#!/bin/bash
# Case 24, group-signal: each actor is a session and process group of its
# own (setsid), so SIGTERM to an actor's whole group, as kill(0, SIGTERM)
# from inside it would send, reaches that actor alone: its monitor gets
# its EXIT, and the supervisor, which is in another group, is unaffected.
. "$(dirname "$0")/lib.sh"

sleeper_child
fault_app '
local function case()
    local events = process.events()
    local pid = assert(process.spawn_monitored("t:child", "t:procs"))
    local other = assert(process.spawn_monitored("t:child", "t:procs"))
    io.print("child " .. pid)
    local ev = events:receive()
    io.print("exit " .. tostring(ev.from == pid) .. " " .. tostring(ev.result.error))
    assert(process.send(other, "bye"))
    ev = events:receive()
    io.print("other " .. tostring(ev.from == other and ev.result.error == nil))
end'
start_fault
child_proc
pgid=$(proc_field "$CHILD" 5)
sid=$(proc_field "$CHILD" 6)
[[ $pgid == "$CHILD" && $sid == "$CHILD" ]] ||
	fail "actor $CHILD: group $pgid, session $sid, want its own"
[[ $(proc_field "$SUP" 5) != "$pgid" ]] || fail "the supervisor is in the actor's group"
kill -TERM -- "-$pgid" || fail "kill -TERM -$pgid"
wait_done
out_has "exit true killed by signal 15" || fail "$(grep exit "$T/out")"
out_has "other true" || fail "the other actor was hit"
finish_fault
