-- The worker service: for each job, a worker process of its own (an OS
-- process per job), monitored; the result goes to the sink by name.
local function main()
    process.registry.register("workers")
    local events = process.events()
    local inbox = process.inbox()
    while true do
        local r = channel.select { inbox:case_receive(), events:case_receive() }
        if r.channel == events then
            local ev = r.value
            if ev.kind == process.event.CANCEL then return 0 end
            if ev.kind == process.event.EXIT and ev.result.error then
                logger:warn("job failed", { from = ev.from, error = ev.result.error })
            end
        else
            local job = r.value:payload():data()
            assert(process.spawn_monitored("pipe:square", "pipe:procs", job))
        end
    end
end

return { main = main }
