-- Says "before" and waits for a line on stdin, grows a crowd of n idle
-- actors, says "after" and waits again: tests/bench/run reads the
-- supervisor's memory at each pause.
local io = require("io")
local crowd = require("crowd")

return { main = function(n)
    io.print("before")
    io.flush()
    io.readline()
    crowd.grow({}, tonumber(n) or 1000)
    io.print("after")
    io.flush()
    io.readline()
    return 0
end }
