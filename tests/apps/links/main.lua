-- Links: a normal exit sends no LINK_DOWN; an error exit sends LINK_DOWN
-- to a linked actor that traps links, and fails one that does not, along
-- a chain of links.
local function main()
    local events = process.events()
    local me = process.pid()
    assert(process.get_options().trap_links == false)
    assert(process.set_options({ trap_links = true }) == true)
    assert(process.get_options().trap_links == true)
    local ok, err = process.set_options({ bogus = 1 })
    assert(ok == false and err:kind() == "Invalid")
    ok, err = process.set_options({ trap_links = "yes" })
    assert(ok == false and err:kind() == "Invalid")

    -- normal exit of a linked child: an EXIT (monitored), no LINK_DOWN
    local a = assert(process.spawn_linked_monitored("t:child", "t:procs", "return"))
    local ev = events:receive()
    assert(ev.kind == process.event.EXIT and ev.from == a)
    local r = channel.select { events:case_receive(), time.after("100ms"):case_receive() }
    assert(r.channel ~= events, "no LINK_DOWN after a normal exit")

    -- error exit of a linked child: LINK_DOWN (trapped), then its EXIT
    local b = assert(process.spawn_linked_monitored("t:child", "t:procs", "error"))
    local seen = {}
    for _ = 1, 2 do
        ev = events:receive()
        assert(ev.from == b)
        seen[ev.kind] = ev
    end
    assert(seen["pid.link.down"] and seen["pid.exit"])
    assert(tostring(seen["pid.link.down"].result.error):find("child failed", 1, true))

    -- a chain: me -> c (no trap) -> d; d fails, so c fails with
    -- "linked process failed", and that reaches us as LINK_DOWN
    local c = assert(process.spawn_linked_monitored("t:child", "t:procs", "chain"))
    local got = {}
    for _ = 1, 2 do
        ev = events:receive()
        assert(ev.from == c, ev.from)
        got[ev.kind] = tostring(ev.result.error)
    end
    assert(got["pid.exit"] == "linked process failed", got["pid.exit"])
    assert(got["pid.link.down"] == "linked process failed")

    -- unlink before the failure: nothing arrives
    local e = assert(process.spawn_linked("t:child", "t:procs", "wait"))
    assert(process.unlink(e) == true)
    assert(process.monitor(e) == true)
    local again, err2 = process.monitor(e)
    assert(again == nil and tostring(err2) == "already monitoring")
    assert(process.send(e, "fail"))
    ev = events:receive()
    assert(ev.kind == "pid.exit" and ev.from == e)
    r = channel.select { events:case_receive(), time.after("100ms"):case_receive() }
    assert(r.channel ~= events, "no LINK_DOWN after unlink")

    local nope, err3 = process.link("{t:procs|0xfffff}")
    assert(nope == nil and tostring(err3) == "process not found")
    local nope2, err4 = process.monitor("{t:procs|0xfffff}")
    assert(nope2 == nil and tostring(err4) == "pid not registered")
    return 0
end

return { main = main }
