-- In a listen topic '?' matches exactly one byte, '*' any run: a message
-- that no pattern matches goes to the inbox.
local function main()
    local me = process.pid()
    local one = process.listen("job.?")
    local two = process.listen("log.??.*")
    for _, t in ipairs { "job.1", "job.", "job.12", "log.ab.x", "log.a.x",
            "log.abc.x", "log.ab." } do
        assert(process.send(me, t, t))
    end
    assert(process.send(me, "end", "end"))
    assert(one:receive() == "job.1")
    assert(two:receive() == "log.ab.x")
    assert(two:receive() == "log.ab.")
    local inbox = process.inbox()
    for _, t in ipairs { "job.", "job.12", "log.a.x", "log.abc.x", "end" } do
        local m = inbox:receive()
        assert(m:topic() == t, m:topic() .. " instead of " .. t)
    end
    local r = channel.select { one:case_receive(), two:case_receive(), default = true }
    assert(r.default, "a listener got a message it did not match")
    return 0
end

return { main = main }
