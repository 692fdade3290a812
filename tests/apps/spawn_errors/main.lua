-- Each way process.spawn can be refused: nil and an error naming the
-- entry, the host and why, with its kind; spawn_monitored and exec alike.
local function refused(fn, entry, host, why, kind)
    local pid, err = fn(entry, host)
    assert(pid == nil and err, entry .. " on " .. host)
    local want = "cannot spawn '" .. entry .. "' on '" .. host .. "': " .. why
    assert(tostring(err) == want, tostring(err))
    assert(err:kind() == kind, err:kind())
end

local function main()
    for _, fn in ipairs { process.spawn, process.spawn_monitored, process.exec } do
        refused(fn, "t:nothing", "t:procs", "entry not found", errors.NOT_FOUND)
        refused(fn, "t:child", "t:nohost", "host not found", errors.NOT_FOUND)
        refused(fn, "t:child", "t:child",
            "host is not a process.host or terminal.host", errors.INVALID)
        refused(fn, "t:procs", "t:procs", "entry is not a process.lua",
            errors.INVALID)
        refused(fn, "t:child", "t:sleeping",
            "host is not running (lifecycle.auto_start is false)",
            errors.UNAVAILABLE)
    end
    return 0
end

return { main = main }
