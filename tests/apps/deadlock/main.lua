-- An actor whose coroutines all wait on something nothing can feed fails
-- with the deadlock error instead of hanging; waiting on the inbox is not
-- a deadlock (a message may come), so the child below is fine.
local function main()
    local events = process.events()
    local child = assert(process.spawn_monitored("t:child", "t:procs", process.pid()))
    assert(process.send(child, "ping"))
    local ev = events:receive()
    assert(ev.from == child)
    assert(tostring(ev.result.error) == "all coroutines blocked with no pending operations",
        tostring(ev.result.error))
    -- now deadlock ourselves: exit status 1
    channel.new():receive()
end

return { main = main }
