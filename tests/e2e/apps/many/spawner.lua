-- Spawns 100 idlers, says so, then holds them until its own CANCEL: it
-- waits on its events, so it neither ends nor fails before the shutdown.
return { main = function()
    local events = process.events()
    for i = 1, 100 do
        assert(process.spawn("t:idler", "t:procs", i % 2 == 0))
    end
    logger.info("holding", { actors = 100 })
    while true do
        local ev = events:receive()
        if ev.kind == process.event.CANCEL then return end
    end
end }
