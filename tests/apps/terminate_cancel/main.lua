-- terminate kills (EXIT says "process terminated"); cancel is advisory and
-- arrives as a CANCEL event with its sender and reason.
local function main()
    local events = process.events()
    local me = process.pid()
    local a = assert(process.spawn_monitored("t:child", "t:procs", me, "sleep"))
    assert(process.inbox():receive():topic() == "ready")
    assert(process.terminate(a) == true)
    local ev = events:receive()
    assert(ev.from == a and tostring(ev.result.error) == "process terminated", tostring(ev.result.error))
    local ok, err = process.terminate(a)
    assert(ok == nil and tostring(err) == "process not found")

    local b = assert(process.spawn_monitored("t:child", "t:procs", me, "cancel"))
    assert(process.inbox():receive():topic() == "ready")
    assert(process.cancel(b, "enough") == true)
    local m = process.inbox():receive()
    assert(m:topic() == "canceled")
    local info = m:payload():data()
    assert(info.from == me and info.reason == "enough" and info.kind == "pid.cancel")
    ev = events:receive()
    assert(ev.from == b and ev.result.value == "stopped cleanly")
    return 0
end

return { main = main }
