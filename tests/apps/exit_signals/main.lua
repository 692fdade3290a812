-- An actor killed by a signal: its monitor's EXIT says which, and the
-- name it held is free again.
local function main()
    local events = process.events()
    for how, sig in pairs({ kill9 = 9, segv = 11 }) do
        local pid = assert(process.spawn_monitored("t:evil_" .. how, "t:procs"))
        local ev = events:receive()
        assert(ev.kind == process.event.EXIT and ev.from == pid, how)
        assert(ev.result.value == nil, how)
        assert(tostring(ev.result.error) == "killed by signal " .. sig, tostring(ev.result.error))
        local ok, err = process.send(pid, "t", 1)
        assert(ok == nil and tostring(err) == "process not found")
    end
    return 0
end

return { main = main }
