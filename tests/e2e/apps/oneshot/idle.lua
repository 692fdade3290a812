-- Registers its name and runs until CANCEL.
return { main = function(name)
    local events = process.events()
    process.registry.register(name)
    while true do
        local ev = events:receive()
        if ev.kind == process.event.CANCEL then return end
    end
end }
