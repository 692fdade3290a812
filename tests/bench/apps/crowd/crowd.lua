-- Grows a crowd of idle echo actors to n, and returns only once each new
-- one has answered a ping: all are live, none still starting.
local BATCH = 100	-- pings in flight: keeps the supervisor's queues short

local M = {}

function M.grow(actors, n)
    local me, inbox = process.pid(), process.inbox()
    for first = #actors + 1, n, BATCH do
        local last = math.min(first + BATCH - 1, n)
        for i = first, last do
            actors[i] = assert(process.spawn("b:echo", "b:procs", me))
            assert(process.send(actors[i], "ping", "x"))
        end
        for _ = first, last do
            inbox:receive()
        end
    end
    return actors
end

return M
