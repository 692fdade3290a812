local function main(parent, mode)
    local events = process.events()
    process.send(parent, "ready")
    if mode == "sleep" then
        time.sleep("30s")
        return "never"
    end
    local ev = events:receive()
    process.send(parent, "canceled", { from = ev.from, reason = ev.reason, kind = ev.kind })
    return "stopped cleanly"
end

return { main = main }
