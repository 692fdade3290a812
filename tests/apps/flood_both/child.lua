return { main = function(parent, n)
    local inbox = process.inbox()
    local pad = string.rep("y", 64)
    for i = 1, n do assert(process.send(parent, "m", i, pad)) end
    for i = 1, n do assert(inbox:receive():payload()[1]:data() == i) end
    process.send(parent, "done")
end }
