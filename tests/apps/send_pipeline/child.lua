-- Takes n messages numbered 1..n in order, some sent by pid and some by
-- name, then floods the parent with n messages of its own and ends.
return { main = function(parent, n)
    assert(process.registry.register("pipe.sink"))
    local inbox = process.inbox()
    assert(process.send(parent, "ready"))
    -- Busy for a while without reading: the flood piles up in the
    -- supervisor past its high-water mark and the sender is stalled.
    local x = 0
    for i = 1, 20000000 do x = x + i end
    for i = 1, n do
        local m = inbox:receive()
        local v = m:payload():data()
        if v ~= i then
            assert(process.send(parent, "bad", i, v))
            return
        end
    end
    assert(process.send(parent, "all", n))
    for i = 1, n do process.send(parent, "seq", i) end
end }
