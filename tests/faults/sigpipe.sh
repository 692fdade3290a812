#!/bin/bash
# Case 26, sigpipe: an actor dies while the supervisor still has data to
# write to it (it was stopped, so its queue in the supervisor and its
# socket are full, and the sender waits in process.send): the supervisor's write meets a closed peer (EPIPE, never
# SIGPIPE), it lives on, and the monitor gets "killed by signal 9".
. "$(dirname "$0")/lib.sh"

sleeper_child
fault_app '
local function case()
    local events = process.events()
    local pid = assert(process.spawn_monitored("t:child", "t:procs"))
    io.print("child " .. pid)
    assert(io.readline() == "stopped")
    local s = string.rep("p", 64 << 10)
    -- It dies meanwhile: later sends may say "process not found".
    for i = 1, 100 do process.send(pid, "n", s) end
    io.print("sent")
    local ev = events:receive()
    io.print("exit " .. tostring(ev.from == pid) .. " " .. tostring(ev.result.error))
end'
start_fault
child_proc
child=$CHILD
kill -STOP "$child" || fail "kill -STOP"
send_line stopped
# The supervisor is writing to it: the actor's socket holds unread bytes
# (ss shows them as its Recv-Q), and the supervisor has more queued.
command -v ss >/dev/null || { echo "ss (iproute2) is not installed"; exit 77; }
wait_for socket_backlog "$child" || fail "the actor's socket never filled"
kill -KILL "$child" || fail "kill -KILL"
wait_done
out_has "exit true killed by signal 9" || fail "$(grep exit "$T/out")"
finish_fault
