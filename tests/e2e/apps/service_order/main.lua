-- Every service is up (registered) before the -x actor starts.
return { main = function()
    for _, n in ipairs({ "a", "b", "c" }) do
        assert(process.registry.lookup(n), n .. " is not up")
    end
    return 0
end }
