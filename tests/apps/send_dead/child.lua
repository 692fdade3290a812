-- Registers the name it is given, takes messages until "quit", ends; on
-- "unregister" it gives the name up and answers "unregistered".
return { main = function(name)
    if name then assert(process.registry.register(name)) end
    local inbox = process.inbox()
    while true do
        local m = inbox:receive()
        if m:topic() == "quit" then
            return
        elseif m:topic() == "unregister" then
            assert(process.registry.unregister(name))
            process.send(m:from(), "unregistered")
        end
    end
end }
