#!/bin/bash
# Case 36, send-stale: sends to the pid of an actor that has exited fail
# with "process not found", and never reach a newer actor: ids are not
# reused, so the next child, though it may get the same OS pid, gets
# none of them.
. "$(dirname "$0")/lib.sh"

cat >"$T/child.lua" <<'LUA'
return { main = function()
    local inbox, n = process.inbox(), 0
    while inbox:receive():topic() ~= "stop" do n = n + 1 end
    return n
end }
LUA
fault_app '
local function case()
    local events = process.events()
    local old = assert(process.spawn_monitored("t:child", "t:procs"))
    assert(process.send(old, "stop"))
    assert(events:receive().from == old)
    local new = assert(process.spawn_monitored("t:child", "t:procs"))
    local refused = 0
    for i = 1, 100 do
        local ok, err = process.send(old, "stale", i)
        if ok == nil and tostring(err) == "process not found" then refused = refused + 1 end
    end
    assert(process.send(new, "stop"))
    local ev = events:receive()
    io.print("new ~= old " .. tostring(new ~= old) .. " refused " .. refused .. " new got " .. tostring(ev.result.value))
end'
start_fault
wait_done
out_has "new ~= old true refused 100 new got 0" || fail "$(grep refused "$T/out")"
finish_fault
