#!/bin/bash
# Cases 8 and 11.  Monitor-dead: monitoring an actor that has exited
# fails at once with "pid not registered" (API.md's noproc), by pid.
# Monitor-cleanup: a watcher monitors A, B, C and D and unmonitors C; A, B
# and C are terminated, then D: the watcher gets exactly the EXITs of A, B
# and D (none for C, whose EXIT would have come before D's).  The watcher
# then fails while it still monitors E; E's later end finds no stale
# monitor (the supervisor lives, E's EXIT reaches main, fds are back).
. "$(dirname "$0")/lib.sh"

cat >"$T/child.lua" <<'LUA'
local function watch(main, a, b, c, d, e)
    local events = process.events()
    for _, p in ipairs({ a, b, c, d, e }) do assert(process.monitor(p)) end
    assert(process.unmonitor(c))
    process.send(main, "watching")
    local got = {}
    repeat
        local ev = events:receive()
        assert(ev.kind == process.event.EXIT)
        got[#got + 1] = ev.from
    until ev.from == d
    process.send(main, "got", table.concat(got, " "))
    error("watcher fails on purpose")
end
return { main = function(mode, ...)
    if mode == "watch" then return watch(...) end
    process.inbox():receive()
    return 0
end }
LUA
fault_app '
local function case()
    local events = process.events()
    local inbox = process.inbox()
    local dead = assert(process.spawn_monitored("t:child", "t:procs", "exit"))
    assert(process.send(dead, "x"))
    assert(events:receive().from == dead)
    local ok, err = process.monitor(dead)
    io.print("monitor dead: " .. tostring(ok) .. " " .. tostring(err))
    local kids = {}
    for i = 1, 5 do kids[i] = assert(process.spawn_monitored("t:child", "t:procs", "sleep")) end
    local w = assert(process.spawn_monitored("t:child", "t:procs", "watch", process.pid(), table.unpack(kids)))
    assert(inbox:receive():topic() == "watching")
    for i = 1, 4 do
        assert(process.terminate(kids[i]))
        assert(events:receive().from == kids[i])
    end
    local m = inbox:receive()
    assert(m:topic() == "got")
    io.print("watcher got " .. (m:payload():data() == table.concat({ kids[1], kids[2], kids[4] }, " ") and "A B D" or m:payload():data()))
    local ev = events:receive()
    assert(ev.from == w)
    io.print("watcher: " .. tostring(ev.result.error):match("^[^\n]*"))
    assert(process.terminate(kids[5]))
    ev = events:receive()
    io.print("E ended: " .. tostring(ev.from == kids[5]))
end'
start_fault
wait_done
out_has "monitor dead: nil pid not registered" || fail "$(grep 'monitor dead' "$T/out")"
out_has "watcher got A B D" || fail "$(grep 'watcher got' "$T/out")"
grep -q '^watcher: .*watcher fails on purpose' "$T/out" || fail "$(grep 'watcher:' "$T/out")"
out_has "E ended: true" || fail "no EXIT of E"
finish_fault
