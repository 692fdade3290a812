#!/bin/bash
# Case 12, huge-reason: an actor fails with a 1 MiB error message; its
# monitor's EXIT carries the error cut to at most 64 KiB, marked as cut,
# and the supervisor carries on.
. "$(dirname "$0")/lib.sh"

cat >"$T/child.lua" <<'LUA'
return { main = function() error(string.rep("x", 1 << 20), 0) end }
LUA
fault_app '
local function case()
    local events = process.events()
    local pid = assert(process.spawn_monitored("t:child", "t:procs"))
    local ev = events:receive()
    assert(ev.from == pid)
    local s = tostring(ev.result.error)
    io.print("len " .. #s)
    io.print("xs " .. #(s:match("x+") or ""))
    io.print("tail " .. s:sub(-60):gsub("x", ""))
end'
start_fault
wait_done
out_has "len 65536" || fail "$(grep len "$T/out"), want 65536"
out_has "tail  [cut from 1048576 bytes]" || fail "not marked as cut: $(grep tail "$T/out")"
finish_fault
