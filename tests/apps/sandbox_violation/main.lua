-- A call the seccomp filter forbids kills the actor with SIGSYS, and its
-- EXIT says "sandbox violation"; on a host with sandbox: false the same
-- call goes through (the stand-in then exits without a result).
local function exit_of(host)
    local events = process.events()
    local pid = assert(process.spawn_monitored("t:evil_seccomp", host))
    local ev = events:receive()
    assert(ev.from == pid, host)
    return tostring(ev.result.error)
end

local function main()
    local msg = exit_of("t:procs")
    assert(msg == "sandbox violation (killed by signal 31, SIGSYS)", msg)
    msg = exit_of("t:open")
    assert(not msg:find("sandbox", 1, true), msg)
    assert(msg == "exited with status 0 without a result", msg)
    -- the supervisor still routes
    assert(process.send(process.pid(), "still", "here"))
    assert(process.inbox():receive():payload():data() == "here")
    return 0
end

return { main = main }
