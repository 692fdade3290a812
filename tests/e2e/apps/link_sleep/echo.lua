-- Sends each message's payload back to the actor that started it.
return { main = function(parent)
    local inbox = process.inbox()
    while true do
        process.send(parent, "back", inbox:receive():payload():data())
    end
end }
