return { main = function(parent, n)
    for i = 1, n do assert(process.send(parent, "seq", i)) end
    assert(process.send(parent, "big", string.rep("0123456789abcdef", (4 << 20) // 16)))
    local m = process.inbox():receive()
    assert(process.send(parent, "size", #m:payload():data()))
end }
