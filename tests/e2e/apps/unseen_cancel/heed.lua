-- Opens process.events() before it says it is ready, so it sees its
-- CANCEL, and answers it before it returns.
return { main = function(parent)
    local events = process.events()
    process.send(parent, "ready")
    local ev = events:receive()
    logger.info("heed got " .. ev.kind .. ": " .. tostring(ev.reason))
    process.send(parent, "heard", ev.reason)
    return "stopped cleanly"
end }
