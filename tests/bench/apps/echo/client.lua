-- The tutorial's cli without a terminal: n requests, each waiting for
-- its reply, once main says go.
local time = require("time")

return { main = function(main, n)
    local inbox = process.inbox()
    while not process.registry.lookup("relay") do
        time.sleep("1ms")
    end
    process.send(main, "ready")
    assert(inbox:receive():topic() == "go")
    for _ = 1, n do
        assert(process.send("relay", "echo",
            { sender = process.pid(), data = "hello" }))
        local m = inbox:receive()
        assert(m:topic() == "echo_response")
        assert(m:payload():data().data == "HELLO")
    end
    return 0
end }
