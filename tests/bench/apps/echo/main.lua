-- Starts c client actors that each make n sequential echo requests
-- through the relay, all at once; prints the milliseconds per request as
-- one client sees them and the requests per second of all together.
local time = require("time")
local io = require("io")

return { main = function(c, n)
    c = tonumber(c) or 1
    n = tonumber(n) or 200
    local inbox = process.inbox()
    local events = process.events()
    local clients = {}
    for i = 1, c do
        clients[i] = assert(process.spawn_monitored("b:client", "b:procs",
            process.pid(), n))
    end
    for _ = 1, c do
        assert(inbox:receive():topic() == "ready")
    end
    local t0 = time.now()
    for i = 1, c do
        process.send(clients[i], "go")
    end
    for _ = 1, c do
        local ev = events:receive()
        assert(ev.result.value == 0, "a client failed")
    end
    local ns = time.now():sub(t0)
    io.print(string.format("%.3f %.0f", ns / n / 1e6, c * n / (ns / 1e9)))
    return 0
end }
