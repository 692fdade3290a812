-- 100,000 sends to a pid, pipelined (no reply waited for), arrive whole
-- and in order, also with synchronous sends by name (which wait for the
-- supervisor) between them; and an actor's own pipelined flood reaches
-- its monitor before its EXIT.
local N = 100000

local function main()
    local inbox = process.inbox()
    local events = process.events()
    local child = assert(process.spawn_monitored("t:child", "t:procs", process.pid(), N))
    assert(inbox:receive():topic() == "ready")
    for i = 1, N do
        if i % 997 == 0 then
            assert(process.send("pipe.sink", "seq", i) == true)
        else
            assert(process.send(child, "seq", i) == true)
        end
    end
    local m = inbox:receive()
    assert(m:topic() == "all", "child saw message " ..
        tostring((m:payload() or {})[1] and m:payload()[1]:data()) .. " out of order")
    assert(m:payload():data() == N)
    -- Its flood, then its EXIT, and nothing of the flood after the EXIT.
    for i = 1, N do
        local r = channel.select { inbox:case_receive(), events:case_receive() }
        assert(r.channel == inbox, "EXIT before message " .. i)
        assert(r.value:payload():data() == i, "out of order at " .. i)
    end
    local ev = events:receive()
    assert(ev.kind == "pid.exit" and ev.from == child)
    local r = channel.select { inbox:case_receive(), default = true }
    assert(r.default, "a message after the EXIT")
    return 0
end

return { main = main }
