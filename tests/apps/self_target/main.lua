-- An actor cannot monitor or link to itself, by pid or by name: nil and
-- an Invalid error.
local function refused(fn, dest)
    local ok, err = fn(dest)
    assert(ok == nil and err, dest)
    assert(tostring(err) == "an actor cannot monitor or link to itself",
        tostring(err))
    assert(err:kind() == errors.INVALID, err:kind())
end

local function main()
    local me = process.pid()
    assert(process.registry.register("me"))
    for _, dest in ipairs { me, "me" } do
        refused(process.monitor, dest)
        refused(process.link, dest)
        refused(process.unmonitor, dest)
        refused(process.unlink, dest)
    end
    return 0
end

return { main = main }
