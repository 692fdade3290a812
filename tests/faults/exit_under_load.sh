#!/bin/bash
# Case 44, exit-under-load: a consumer, stopped with SIGSTOP, has its
# queue in the supervisor past the high-water mark (the sender now waits
# in process.send, its messages behind a full socket); an actor it monitors is then killed (kill -9).  The EXIT is
# not held back or lost: once resumed, the consumer gets it, and every
# message as well.
. "$(dirname "$0")/lib.sh"

cat >"$T/child.lua" <<'LUA'
return { main = function(main, watched)
    local events, inbox = process.events(), process.inbox()
    if watched == nil then inbox:receive() return 0 end
    assert(process.monitor(watched))
    process.send(main, "watching")
    local ev = events:receive()
    local n = 0
    while n < 100 do inbox:receive() n = n + 1 end
    return tostring(ev.from == watched) .. " " .. tostring(ev.result.error) .. " " .. n
end }
LUA
fault_app '
local function case()
    local events, inbox = process.events(), process.inbox()
    local watched = assert(process.spawn("t:child", "t:procs"))
    local c = assert(process.spawn_monitored("t:child", "t:procs", process.pid(), watched))
    assert(inbox:receive():topic() == "watching")
    io.print("watched " .. watched)
    io.print("child " .. c)
    assert(io.readline() == "stopped")
    local s = string.rep("q", 64 << 10)
    for i = 1, 100 do assert(process.send(c, "n", s)) end
    io.print("sent")
    local ev = events:receive()
    io.print("consumer: " .. tostring(ev.result.value))
end'
command -v ss >/dev/null || { echo "ss (iproute2) is not installed"; exit 77; }
start_fault
child_proc
wpid=$(sed -n 's/^watched //p' "$T/out")
actor_pid "$SUP" "osactor: t:child $wpid" || fail "no process for $wpid"
watched=$PID
kill -STOP "$CHILD" || fail "kill -STOP"
send_line stopped
wait_for socket_backlog "$CHILD" || fail "the consumer's socket never filled"
# Killed from outside: main, whose sends are stalled behind them, could
# not get a terminate through (its frames go in order).
kill -KILL "$watched" || fail "kill -KILL"
wait_for exited "$watched" || fail "the watched actor lives on"
kill -CONT "$CHILD" || fail "kill -CONT"
wait_done
out_has "consumer: true killed by signal 9 100" || fail "$(grep consumer "$T/out")"
finish_fault
