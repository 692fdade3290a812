-- Round trips of a 64-byte message between two live actors, each leg
-- routed by the supervisor; prints microseconds per round trip.
return { main = function(n)
    n = tonumber(n) or 5000
    local echo = assert(process.spawn("b:echo", "b:procs", process.pid()))
    local inbox = process.inbox()
    local msg = string.rep("x", 64)
    process.send(echo, "ping", msg)
    inbox:receive()
    local t0 = time.now()
    for _ = 1, n do
        process.send(echo, "ping", msg)
        inbox:receive()
    end
    local ns = time.now():sub(t0)
    io.print(string.format("%.2f", ns / n / 1000))
    process.terminate(echo)
    return 0
end }
