-- Registers its name and runs until CANCEL.  Then it logs which of the
-- three services are still registered and takes 150 ms to stop, so that
-- had all three been CANCELled at once, each would see the other two.
return { main = function(name)
    local events = process.events()
    process.registry.register(name)
    while true do
        local ev = events:receive()
        if ev.kind == process.event.CANCEL then break end
    end
    local alive = ""
    for _, n in ipairs({ "a", "b", "c" }) do
        if n ~= name and process.registry.lookup(n) then
            alive = alive .. n
        end
    end
    logger.info("cancelled", { name = name, alive = alive == "" and "-" or alive })
    time.sleep("150ms")
    return name
end }
