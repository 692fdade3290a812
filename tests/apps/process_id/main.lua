-- process.id() is the entry id the actor runs, not its pid.
local function main()
    assert(process.id() == "t:main", process.id())
    local v = process.exec("t:child", "t:procs")
    assert(v == "t:child", tostring(v))
    return 0
end

return { main = main }
