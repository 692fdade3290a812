-- The registry: register, lookup, idempotence, names taken by another
-- actor, unregister, and names freed when their owner exits.
local function main()
    local me = process.pid()
    assert(process.registry.register("alpha") == true)
    assert(process.registry.register("alpha") == true, "same pid: idempotent")
    assert(process.registry.lookup("alpha") == me)

    local pid, err = process.registry.lookup("nobody")
    assert(pid == nil)
    assert(tostring(err) == "name not registered", tostring(err))
    assert(err:kind() == "NotFound")

    local events = process.events()
    local child = assert(process.spawn_monitored("t:child", "t:procs", me))
    -- the child registers "beta", tells us, then waits for "go"
    local msg = process.inbox():receive()
    assert(msg:topic() == "registered")
    assert(process.registry.lookup("beta") == child)

    local ok, err2 = process.registry.register("beta")
    assert(ok == nil and tostring(err2) == "name already registered", tostring(err2))
    assert(err2:kind() == "AlreadyExists")

    assert(process.registry.unregister("alpha") == true)
    assert(process.registry.unregister("alpha") == false)
    assert(process.registry.lookup("alpha") == nil)
    assert(process.registry.unregister("beta") == false, "not ours")

    local bad, err3 = process.registry.register("")
    assert(bad == nil and err3:kind() == "Invalid")

    process.send(child, "go")
    local ev = events:receive()
    assert(ev.kind == process.event.EXIT and ev.from == child)
    local gone, err4 = process.registry.lookup("beta")
    assert(gone == nil and tostring(err4) == "name not registered")
    -- a freed name can be taken again
    assert(process.registry.register("beta") == true)
    return 0
end

return { main = main }
