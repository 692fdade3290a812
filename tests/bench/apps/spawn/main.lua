-- Spawn an actor that returns at once and wait for its EXIT, n times;
-- prints milliseconds per actor.
return { main = function(n)
    n = tonumber(n) or 200
    local events = process.events()
    local t0 = time.now()
    for _ = 1, n do
        assert(process.spawn_monitored("b:nop", "b:procs"))
        events:receive()
    end
    local ns = time.now():sub(t0)
    io.print(string.format("%.3f", ns / n / 1e6))
    return 0
end }
