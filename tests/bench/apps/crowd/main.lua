-- The routing curve: for each crowd size in levels (say "10,100,1000"),
-- grows the crowd of idle actors to that size, then times runs batches of
-- trips round trips of a 64-byte message to one actor (the supervisor's
-- routing alone), then as many to actors picked at random (which adds
-- waking a cold process).  Prints a line per size: the size, the seconds
-- it took to grow the crowd to it, then the microseconds per round trip
-- of each batch to one actor, then of each batch to random ones.
local time = require("time")
local io = require("io")
local crowd = require("crowd")

local function batch(actors, trips, msg, random)
    local inbox = process.inbox()
    local t0 = time.now()
    for _ = 1, trips do
        process.send(actors[random and math.random(#actors) or 1], "ping", msg)
        inbox:receive()
    end
    return time.now():sub(t0) / trips / 1000
end

return { main = function(levels, runs, trips)
    runs = tonumber(runs) or 5
    trips = tonumber(trips) or 2000
    local actors, msg = {}, string.rep("x", 64)
    for size in string.gmatch(levels or "10,100,1000,10000", "%d+") do
        local t0 = time.now()
        crowd.grow(actors, tonumber(size))
        local line = { size, string.format("%.2f", time.now():sub(t0) / 1e9) }
        for _, random in ipairs({ false, true }) do
            for _ = 1, runs do
                line[#line + 1] = string.format("%.2f",
                    batch(actors, trips, msg, random))
            end
        end
        io.print(table.concat(line, " "))
        io.flush()
    end
    return 0
end }
