-- Each line of stdin goes to the echo actor; what it sends back is
-- printed.  An empty line or the end of input ends the app.
local io = require("io")

return { main = function()
    local echo = assert(process.spawn("t:echo", "t:procs", process.pid()))
    local inbox = process.inbox()
    io.print("ready")
    while true do
        local line = io.readline()
        if not line or #line == 0 then return 0 end
        process.send(echo, "line", line)
        io.print("echo: " .. inbox:receive():payload():data())
    end
end }
