-- On a process.host, io answers every call with "no terminal context".
return { main = function()
    for _, f in ipairs({ "write", "print", "readline", "read", "flush", "args", "eprint" }) do
        local v, err = io[f]("x")
        assert(v == nil and tostring(err) == "no terminal context", f .. ": " .. tostring(err))
    end
    return "checked"
end }
