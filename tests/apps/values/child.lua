local function main(parent)
    local msg = process.inbox():receive()
    local p = msg:payload()
    process.send(parent, "echoed", p[1]:data(), p[2]:data(), p[3]:data(), p[4]:data())
end

return { main = main }
