-- A malformed frame ends the actor that sent it, with a protocol error in
-- its EXIT; the supervisor and everyone else carry on.
local cases = {
    version = "bad frame header",
    huge = "bad frame header",
    type = "malformed frame type 999",
    spoof = "frame claims sender",
    body = "malformed frame type 402",
    short = "truncated frame",
    fullsend = "bad frame header",
    fullexit = "bad frame header",
}

local function main()
    local events = process.events()
    for how, want in pairs(cases) do
        local pid = assert(process.spawn_monitored("t:evil_" .. how, "t:procs"))
        local ev = events:receive()
        assert(ev.from == pid, how)
        local msg = tostring(ev.result.error)
        assert(msg:find("protocol error: ", 1, true), how .. ": " .. msg)
        assert(msg:find(want, 1, true), how .. ": " .. msg)
    end
    -- the supervisor still routes
    assert(process.send(process.pid(), "still", "here"))
    assert(process.inbox():receive():payload():data() == "here")
    return 0
end

return { main = main }
