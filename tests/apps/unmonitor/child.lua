-- Given a pid to watch and one to tell: monitor the first, say so to the
-- second, wait for the first's EXIT, then end.  Else wait for a message.
local function main(watch, tell)
    if watch then
        local events = process.events()
        assert(process.monitor(watch))
        assert(process.send(tell, "watching"))
        assert(events:receive().from == watch)
        return
    end
    process.inbox():receive()
end

return { main = main }
