return { main = function()
    local events = process.events()
    while true do
        local ev = events:receive()
        if ev.kind == process.event.CANCEL then return end
    end
end }
