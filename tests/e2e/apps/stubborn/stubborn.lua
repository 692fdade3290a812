-- Sees its CANCEL, says so, and ignores it: only a kill ends it.  Logs
-- "waiting for CANCEL" once events() is open: a CANCEL before that stops
-- it at once, unseen, so tests signal the app only after that line.
return { main = function()
    local events = process.events()
    logger.info("waiting for CANCEL")
    while true do
        local ev = events:receive()
        if ev.kind == process.event.CANCEL then
            logger.info("ignoring CANCEL")
        end
    end
end }
