-- Argument errors name the function and the real argument position, and
-- load() honours a mode without 't' as stock Lua does.
local function fails(want, f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, "no error, want " .. want)
    assert(tostring(err):find(want, 1, true), "got: " .. tostring(err))
end

local function main()
    fails("bad argument #1 to 'process.spawn' (string expected, got nil)",
        process.spawn, nil, "t:procs")
    fails("bad argument #1 to 'process.registry.lookup'",
        process.registry.lookup, nil)
    fails("bad argument #1 to 'channel.new'", channel.new, "x")
    fails("bad argument #1 to 'io.write'", io.write, {})
    fails("process.spawn: cannot send function (at arg 3)",
        process.spawn, "t:child", "t:procs", print)
    fails("process.spawn_monitored: cannot send function (at arg 4.f)",
        process.spawn_monitored, "t:child", "t:procs", 1, { f = print })
    fails("process.send: cannot send function (at arg 4)",
        process.send, process.pid(), "t", 1, print)

    local f, err = load("return 1", "x", "b")
    assert(f == nil and err == "attempt to load a text chunk (mode is 'b')",
        tostring(err))
    f, err = load(function() return nil end, "x", "")
    assert(f == nil and err == "attempt to load a text chunk (mode is '')",
        tostring(err))
    f, err = load(string.dump(function() end), "x", "b")
    assert(f == nil and err == "attempt to load a binary chunk (mode is 't')",
        tostring(err))
    f, err = load(string.dump(function() end))
    assert(f == nil and err == "attempt to load a binary chunk (mode is 't')",
        tostring(err))
    assert(load("return 1", "x", "t")() == 1)
    assert(load("return 2", "x", "bt")() == 2)
    assert(load("return 3")() == 3)
    return 0
end

return { main = main }
