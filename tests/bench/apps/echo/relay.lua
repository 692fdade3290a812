-- The tutorial's relay without its log lines and stats reporter: a
-- monitored worker per "echo" request; it ends on CANCEL, so the app
-- stops without waiting out the stop timeout.
return { main = function()
    local inbox = process.inbox()
    local events = process.events()
    process.registry.register("relay")
    while true do
        local r = channel.select { inbox:case_receive(), events:case_receive() }
        if r.channel == events then
            if r.value.kind == process.event.CANCEL then
                return 0
            end
        elseif r.value:topic() == "echo" then
            local echo = r.value:payload():data()
            assert(process.spawn_monitored("b:worker", "b:procs",
                echo.sender, echo.data))
        end
    end
end }
