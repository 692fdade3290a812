-- process.send to an unknown name, to a dead pid, with a bad topic, and
-- with values that cannot cross a process boundary.
local function main()
    local ok, err = process.send("nope", "t", 1)
    assert(ok == nil)
    assert(tostring(err) == "could not resolve 'nope' as PID or registered name", tostring(err))
    assert(err:kind() == "NotFound")

    local events = process.events()
    local child = assert(process.spawn_monitored("t:child", "t:procs"))
    local ev = events:receive()
    assert(ev.from == child and ev.result.value == "done")
    local ok2, err2 = process.send(child, "t", 1)
    assert(ok2 == nil and tostring(err2) == "process not found", tostring(err2))

    local ok3, err3 = process.send(process.pid(), "@internal", 1)
    assert(ok3 == nil and err3:kind() == "Invalid")

    local good, msg = pcall(process.send, process.pid(), "t", {cb = function() end})
    assert(not good and msg:find("function"), msg)
    local cyc = {}
    cyc.self = cyc
    good, msg = pcall(process.send, process.pid(), "t", cyc)
    assert(not good and msg:find("cycl"), msg)
    -- the failed sends left nothing behind: the next message is the good one
    assert(process.send(process.pid(), "fine", 42))
    local m = process.inbox():receive()
    assert(m:topic() == "fine" and m:payload():data() == 42)
    assert(m:from() == process.pid())
    return 0
end

return { main = main }
