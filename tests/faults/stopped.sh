#!/bin/bash
# Case 7, stopped: an actor stopped with SIGSTOP is not reported as
# exited; 100 messages sent while it is stopped all arrive, in order,
# once SIGCONT resumes it.
. "$(dirname "$0")/lib.sh"

cat >"$T/child.lua" <<'LUA'
return { main = function()
    local inbox = process.inbox()
    for i = 1, 100 do
        local m = inbox:receive()
        if m:payload():data() ~= i then error("message " .. i .. " out of order") end
    end
    return 100
end }
LUA
fault_app '
local function case()
    local events = process.events()
    local pid = assert(process.spawn_monitored("t:child", "t:procs"))
    io.print("child " .. pid)
    assert(io.readline() == "stopped")
    for i = 1, 100 do assert(process.send(pid, "n", i)) end
    local r = channel.select({ events:case_receive(), default = true })
    io.print(r.default and "no exit while stopped" or "exit while stopped")
    assert(io.readline() == "continued")
    local ev = events:receive()
    assert(ev.kind == process.event.EXIT and ev.from == pid)
    io.print("result " .. tostring(ev.result.value) .. " " .. tostring(ev.result.error))
end'
start_fault
child_proc
child=$CHILD
kill -STOP "$child" || fail "kill -STOP"
stopped() {
	[[ $(proc_field "$child" 3) == T ]]
}
wait_for stopped || fail "child not stopped"
send_line stopped
wait_for grep -q 'exit while stopped' "$T/out" || fail "main did not check"
out_has "no exit while stopped" || fail "an EXIT came while the actor was stopped"
running "$child" || fail "the stopped actor is gone"
kill -CONT "$child" || fail "kill -CONT"
send_line continued
wait_done
out_has "result 100 nil" || fail "$(grep result "$T/out")"
finish_fault
