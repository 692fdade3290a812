return { main = function(parent, n)
    local inbox = process.inbox()
    process.send(parent, "ready")
    for _ = 1, n do inbox:receive() end
    process.send(parent, "done")
end }
