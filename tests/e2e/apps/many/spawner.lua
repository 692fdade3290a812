return { main = function()
    for i = 1, 100 do
        assert(process.spawn("t:idler", "t:procs", i % 2 == 0))
    end
    process.registry.register("spawned")
    channel.new():receive()
end }
