return { main = function(parent, n)
    for i = 1, n do assert(process.send(parent, "seq", i)) end
end }
