-- Starts t:blind and t:heed, prints "ready" once both are up, then, when
-- the app is stopped, prints what the shutdown did to each and to itself,
-- and returns once it has seen all of it: its own CANCEL, heed's answer
-- and both EXITs.
local function main()
    local events, inbox, me = process.events(), process.inbox(), process.pid()
    local who = {}
    who[assert(process.spawn_monitored("t:blind", "t:procs", me))] = "blind"
    who[assert(process.spawn_monitored("t:heed", "t:procs", me))] = "heed"
    for _ = 1, 2 do assert(inbox:receive():topic() == "ready") end
    io.print("ready")
    local left = 4
    while left > 0 do
        local r = channel.select { inbox:case_receive(), events:case_receive() }
        local v = r.value
        if r.channel == inbox then
            io.print("heed " .. v:topic() .. ": " .. v:payload():data())
        elseif v.kind == process.event.CANCEL then
            io.print("main cancelled: " .. v.reason)
        elseif v.result.error ~= nil then
            io.print(who[v.from] .. " ended: error " .. tostring(v.result.error))
        else
            io.print(who[v.from] .. " ended: " .. tostring(v.result.value))
        end
        left = left - 1
    end
    io.print("all seen")
    return 0
end

return { main = main }
