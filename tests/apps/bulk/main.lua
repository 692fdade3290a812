-- Messages larger than a socket buffer, and a flood that piles up in the
-- supervisor while the receiver is busy, arrive whole and in order: frames
-- written in parts are never cut or lost.
local N = 20000

local function main()
    local inbox = process.inbox()
    local child = assert(process.spawn("t:child", "t:procs", process.pid(), N))
    -- Busy for a while without reading: the child's flood queues up.
    local x = 0
    for i = 1, 20000000 do x = x + i end
    for i = 1, N do
        local m = inbox:receive()
        assert(m:topic() == "seq", "topic " .. tostring(m:topic()))
        assert(m:payload():data() == i, "out of order at " .. i)
    end
    local big = inbox:receive():payload():data()
    assert(#big == 4 << 20, "big message cut to " .. #big)
    assert(big == string.rep("0123456789abcdef", (4 << 20) // 16), "big message changed")
    -- And the other way: a big message to the child comes back as its size.
    assert(process.send(child, "big", string.rep("z", 3 << 20)))
    local m = inbox:receive()
    assert(m:topic() == "size" and m:payload():data() == 3 << 20)
    -- Past the limit: refused at the sender, with the limit named.
    local ok, err = pcall(process.send, child, "big", string.rep("y", 17 << 20))
    assert(not ok and string.find(tostring(err), "larger than"), tostring(err))
    return 0
end

return { main = main }
