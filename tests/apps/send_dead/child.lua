-- Registers the name it is given, takes messages until "quit", ends.
return { main = function(name)
    if name then assert(process.registry.register(name)) end
    local inbox = process.inbox()
    while inbox:receive():topic() ~= "quit" do end
end }
