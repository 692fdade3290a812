-- Spawn an actor n times, one at a time, and print milliseconds per
-- actor: with no mode, from the spawn to its EXIT event (b:nop returns at
-- once); with "first", from the spawn to its first instruction, which
-- reads the clock (b:first), waiting for its EXIT before the next.
return { main = function(n, mode)
    n = tonumber(n) or 200
    local events = process.events()
    local inbox = process.inbox()
    local t0 = time.now()
    local ns = 0
    for _ = 1, n do
        if mode == "first" then
            local before = time.now():unix_nano()
            assert(process.spawn_monitored("b:first", "b:procs",
                process.pid()))
            ns = ns + inbox:receive():payload():data() - before
        else
            assert(process.spawn_monitored("b:nop", "b:procs"))
        end
        events:receive()
    end
    if mode ~= "first" then
        ns = time.now():sub(t0)
    end
    io.print(string.format("%.3f", ns / n / 1e6))
    return 0
end }
