-- spawn_monitored: one EXIT per child, with the returned value or the
-- error, and after every message the child sent first.
local function main()
    local events = process.events()
    local inbox = process.inbox()
    local me = process.pid()

    local a = assert(process.spawn_monitored("t:child", "t:procs", me, "value"))
    local ev = events:receive()
    assert(ev.kind == "pid.exit" and ev.from == a)
    assert(type(ev.at) == "number")
    assert(ev.result.error == nil)
    assert(ev.result.value.answer == 42 and ev.result.value.list[3] == "c")
    -- its messages came before its EXIT
    local n = 0
    while true do
        local r = channel.select { inbox:case_receive(), default = true }
        if r.default then break end
        n = n + 1
        assert(r.value:payload():data() == n)
    end
    assert(n == 100, n)

    local b = assert(process.spawn_monitored("t:child", "t:procs", me, "error"))
    ev = events:receive()
    assert(ev.from == b and ev.result.value == nil)
    local e = ev.result.error
    assert(tostring(e):match("^child%.lua:%d+: boom$"), tostring(e))

    local c = assert(process.spawn_monitored("t:child", "t:procs", me, "errvalue"))
    ev = events:receive()
    assert(ev.from == c and tostring(ev.result.error) == "soft failure", tostring(ev.result.error))

    local d = assert(process.spawn_monitored("t:child", "t:procs", me, "nil"))
    ev = events:receive()
    assert(ev.from == d and ev.result.error == nil and ev.result.value == nil)

    local x, err = process.spawn_monitored("t:nothing", "t:procs")
    assert(x == nil and err, "unknown entry")
    local y, err2 = process.spawn_monitored("t:child", "t:nohost")
    assert(y == nil and err2, "unknown host")
    return 0
end

return { main = main }
