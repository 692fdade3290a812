-- Blocking process calls suspend only their own coroutine: while one
-- coroutine waits for messages, another keeps sending and sleeping.
local function main()
    local inbox = process.inbox()
    local me = process.pid()
    local log = {}
    local done = channel.new()
    coroutine.spawn(function()
        for i = 1, 3 do
            assert(process.send(me, "tick", i))
            table.insert(log, "sent " .. i)
            time.sleep("5ms")
        end
        done:send(true)
    end)
    for i = 1, 3 do
        local m = inbox:receive()
        table.insert(log, "got " .. m:payload():data())
    end
    assert(done:receive() == true)
    -- each "got i" needs "sent i"'s message, so the two coroutines ran
    -- interleaved; which of a pair is logged first is the scheduler's choice
    table.sort(log)
    assert(table.concat(log, ",") == "got 1,got 2,got 3,sent 1,sent 2,sent 3", table.concat(log, ","))
    return 0
end

return { main = main }
