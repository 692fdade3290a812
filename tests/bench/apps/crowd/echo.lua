-- An idle actor: waits in its inbox and answers every message.
return { main = function(parent)
    local inbox = process.inbox()
    while true do
        local m = inbox:receive()
        process.send(parent, "pong", m:payload():data())
    end
end }
