return { main = function(name)
    local events = process.events()
    process.registry.register(name)
    while true do
        local ev = events:receive()
        if ev.kind == process.event.CANCEL then return name end
    end
end }
