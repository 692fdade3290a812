-- unmonitor stops the EXIT of a monitored actor; unmonitoring an actor not
-- monitored is "not monitoring" (NotFound), an unknown one "pid not
-- registered" (NotFound, as for monitor).
local function main()
    local events = process.events()
    local a = assert(process.spawn_monitored("t:child", "t:procs"))
    assert(process.unmonitor(a) == true)
    local ok, err = process.unmonitor(a)
    assert(ok == nil and tostring(err) == "not monitoring", tostring(err))
    assert(err:kind() == errors.NOT_FOUND, err:kind())
    ok, err = process.unmonitor("{t:procs|0xfffff}")
    assert(ok == nil and tostring(err) == "pid not registered", tostring(err))
    assert(err:kind() == errors.NOT_FOUND)

    -- b ends only after a's EXIT reached it; a's EXIT to us, had it been
    -- sent, would have been queued before b's
    local b = assert(process.spawn_monitored("t:child", "t:procs", a,
        process.pid()))
    assert(process.inbox():receive():topic() == "watching")
    assert(process.send(a, "go"))
    local ev = events:receive()
    assert(ev.from == b, "EXIT of an unmonitored actor: " .. ev.from)
    return 0
end

return { main = main }
