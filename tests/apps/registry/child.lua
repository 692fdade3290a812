local function main(parent)
    assert(process.registry.register("beta"))
    process.send(parent, "registered")
    local msg = process.inbox():receive()
    assert(msg:topic() == "go")
end

return { main = main }
