-- Sees its CANCEL, says so, and ignores it: only a kill ends it.
return { main = function()
    local events = process.events()
    while true do
        local ev = events:receive()
        if ev.kind == process.event.CANCEL then
            logger.info("ignoring CANCEL")
        end
    end
end }
