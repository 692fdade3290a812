-- One-way pipelined throughput: n 64-byte messages from this actor to
-- another, routed by the supervisor; prints messages per second, from
-- the first send to the receiver's word that it has taken the last one.
return { main = function(n)
    n = tonumber(n) or 100000
    local sink = assert(process.spawn("b:sink", "b:procs", process.pid(), n))
    local inbox = process.inbox()
    local msg = string.rep("x", 64)
    inbox:receive()
    local t0 = time.now()
    for _ = 1, n do
        process.send(sink, "m", msg)
    end
    inbox:receive()
    local ns = time.now():sub(t0)
    io.print(string.format("%.0f", n / (ns / 1e9)))
    return 0
end }
