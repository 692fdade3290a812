-- 1,000 messages from one sender arrive in order, and the select between
-- the inbox and a timer sees the right channel.
local function main()
    local inbox = process.inbox()
    local child = assert(process.spawn("t:child", "t:procs", process.pid(), 1000))
    for i = 1, 1000 do
        local r = channel.select { inbox:case_receive(), time.after("10s"):case_receive() }
        assert(r.channel == inbox, "timed out waiting for message " .. i)
        local m = r.value
        assert(m:from() == child)
        assert(m:payload():data() == i, "out of order at " .. i)
    end
    local r = channel.select { inbox:case_receive(), time.after("50ms"):case_receive() }
    assert(r.channel ~= inbox, "nothing more")
    return 0
end

return { main = main }
