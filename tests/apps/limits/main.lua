-- A host's limits: apply to each of its actors as rlimits; an actor that
-- allocates past its memory limit fails cleanly with Lua's memory error;
-- one that runs past its cpu_time gets SIGXCPU, which its EXIT names.
return { main = function()
    local events = process.events()
    local pid = assert(process.spawn_monitored("t:hog", "t:small"))
    local ev = events:receive()
    assert(ev.from == pid)
    assert(tostring(ev.result.error):find("not enough memory", 1, true), tostring(ev.result.error))
    pid = assert(process.spawn_monitored("t:spin", "t:cpu"))
    ev = events:receive()
    assert(ev.from == pid)
    assert(tostring(ev.result.error) == "cpu time limit exceeded (SIGXCPU)",
        tostring(ev.result.error))
    return 0
end }
