-- process.exec returns the child's result; listen takes matching topics
-- before the inbox, as raw values or as messages; unlisten stops it.
local function main()
    local v = process.exec("t:child", "t:procs", 20, 22)
    assert(v == 42, tostring(v))
    local nv, err = process.exec("t:child", "t:procs", "boom")
    assert(nv == nil and tostring(err):find("^child%.lua:1: "), tostring(err))
    -- exec's EXIT does not show up in events
    local events = process.events()
    local r = channel.select { events:case_receive(), default = true }
    assert(r.default)

    local me = process.pid()
    local updates = process.listen("update.*")
    local full = process.listen("status", { message = true })
    assert(process.send(me, "update.price", 10))
    assert(process.send(me, "other", "to inbox"))
    assert(process.send(me, "status", "green"))
    assert(process.send(me, "update.volume", 20))
    assert(updates:receive() == 10)
    assert(updates:receive() == 20)
    local m = full:receive()
    assert(m:topic() == "status" and m:payload():data() == "green" and m:from() == me)
    local inbox = process.inbox():receive()
    assert(inbox:topic() == "other")
    assert(process.unlisten(updates) == true)
    assert(process.send(me, "update.after", 1))
    assert(process.inbox():receive():topic() == "update.after")
    return 0
end

return { main = main }
