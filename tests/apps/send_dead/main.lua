-- process.send to a pid whose actor has ended says "process not found"
-- once the sender could know of the end, although sends to a live pid
-- are pipelined (no reply waited for): after its EXIT when monitored;
-- when not monitored, after any later answer from the supervisor (here a
-- lookup that no longer finds the actor's name), also for an actor
-- whose pid a spawn's arguments gave (its first send there is pipelined
-- too).  Sends by name go to whoever holds the name now, and fail once
-- nobody does, also when the sender has sent by that name before (from
-- its second send on, those are pipelined too).
local function dead(ok, err)
    return ok == nil and tostring(err) == "process not found" and
        err:kind() == "NotFound"
end

local function main()
    local inbox = process.inbox()
    local events = process.events()

    -- Monitored: its EXIT, then every send fails.
    local a = assert(process.spawn_monitored("t:child", "t:procs"))
    for i = 1, 10 do assert(process.send(a, "hi", i) == true) end
    assert(process.send(a, "quit") == true)
    local ev = events:receive()
    assert(ev.kind == "pid.exit" and ev.from == a)
    for _ = 1, 3 do
        local ok, err = process.send(a, "late", 1)
        assert(dead(ok, err), "send after EXIT: " .. tostring(ok) .. " " .. tostring(err))
    end

    -- Not monitored: once the supervisor has answered anything after the
    -- end (the name is released at the end), sends fail.
    local b = assert(process.spawn("t:child", "t:procs", "dead.b"))
    while not process.registry.lookup("dead.b") do time.sleep("1ms") end
    for i = 1, 10 do assert(process.send(b, "hi", i) == true) end
    assert(process.send(b, "quit") == true)
    while process.registry.lookup("dead.b") do time.sleep("1ms") end
    assert(dead(process.send(b, "late", 1)), "send after its name went")

    -- A pid in the spawn arguments: the child hears of its end before
    -- any later message, here main's "ended".
    local d = assert(process.spawn_monitored("t:child", "t:procs"))
    local p = assert(process.spawn("t:peer", "t:procs", d, process.pid()))
    assert(inbox:receive():topic() == "sent")
    assert(process.send(d, "quit") == true)
    assert(events:receive().from == d)
    assert(process.send(p, "ended") == true)
    local late = inbox:receive()
    assert(late:topic() == "late")
    local r = late:payload():data()
    assert(r.ok == nil and r.err == "process not found",
        "send to an ended peer: " .. tostring(r.ok) .. " " .. tostring(r.err))

    -- A pid no actor ever had, and an unknown name.
    assert(dead(process.send("{t:procs|0xfffff}", "x", 1)))
    local ok, err = process.send("dead.nobody", "x", 1)
    assert(ok == nil and err:kind() == "NotFound")
    assert(tostring(err) == "could not resolve 'dead.nobody' as PID or registered name")

    -- By a name its owner gives up, living on: once the sender could
    -- know (here by the owner's answer), the name is unknown.
    local u = assert(process.spawn_monitored("t:child", "t:procs", "dead.u"))
    while not process.registry.lookup("dead.u") do time.sleep("1ms") end
    for i = 1, 3 do assert(process.send("dead.u", "hi", i) == true) end
    assert(process.send("dead.u", "unregister") == true)
    assert(inbox:receive():topic() == "unregistered")
    ok, err = process.send("dead.u", "late", 1)
    assert(ok == nil and err:kind() == "NotFound",
        "send by a name given up: " .. tostring(ok) .. " " .. tostring(err))
    assert(process.send(u, "quit") == true)
    assert(events:receive().from == u)

    -- By name: the name's new owner gets it, not the old one.
    local c = assert(process.spawn_monitored("t:child", "t:procs", "dead.n"))
    while not process.registry.lookup("dead.n") do time.sleep("1ms") end
    assert(process.send("dead.n", "quit") == true)
    assert(events:receive().from == c)
    assert(process.registry.register("dead.n"))
    assert(process.send("dead.n", "mine", 7) == true)
    local m = inbox:receive()
    assert(m:topic() == "mine" and m:payload():data() == 7)
    return 0
end

return { main = main }
