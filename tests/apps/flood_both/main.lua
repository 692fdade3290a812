-- Two actors flood each other (20 MB each way) before either reads: the
-- supervisor stalls a sender whose receiver is behind, and neither side
-- deadlocks; every message arrives, in order.
local N = 200000
local function main()
    local inbox = process.inbox()
    local child = assert(process.spawn("t:child", "t:procs", process.pid(), N))
    local pad = string.rep("x", 64)
    for i = 1, N do assert(process.send(child, "m", i, pad)) end
    for i = 1, N do
        local m = inbox:receive()
        assert(m:payload()[1]:data() == i)
    end
    assert(inbox:receive():topic() == "done")
    return 0
end
return { main = main }
