-- The error an actor fails with reaches its monitor, its linked actors and
-- an exec caller whole: message, kind, retryable and details.
local function check(err, msg, kind, retryable)
    assert(errors.is(err, kind), tostring(err) .. " kind " .. tostring(err:kind()))
    assert(err:message() == msg, err:message())
    assert(err:retryable() == retryable, msg .. " retryable")
end

local function main()
    local events = process.events()
    assert(process.set_options({ trap_links = true }))

    local a = assert(process.spawn_monitored("t:child", "t:procs", "return"))
    local ev = events:receive()
    assert(ev.from == a and ev.kind == process.event.EXIT)
    check(ev.result.error, "typed", errors.CONFLICT, true)
    local d = ev.result.error:details()
    assert(d.id == 7 and d.tags[1] == "a", "details")

    local b = assert(process.spawn_linked("t:child", "t:procs", "raise"))
    ev = events:receive()
    assert(ev.from == b and ev.kind == process.event.LINK_DOWN)
    check(ev.result.error, "raised", errors.TIMEOUT, false)

    local v, err = process.exec("t:child", "t:procs", "return")
    assert(v == nil)
    check(err, "typed", errors.CONFLICT, true)
    assert(err:details().id == 7)

    v, err = process.exec("t:child", "t:procs", "opaque")
    check(err, "opaque", errors.INVALID, false)
    assert(err:details() == nil)

    v, err = process.exec("t:child", "t:procs", "plain")
    check(err, "plain", errors.UNKNOWN, false)

    -- the supervisor's own reasons stay plain messages
    local c = assert(process.spawn_monitored("t:child", "t:procs", "wait"))
    assert(process.terminate(c))
    ev = events:receive()
    assert(ev.from == c)
    check(ev.result.error, "process terminated", errors.UNKNOWN, false)
    return 0
end

return { main = main }
