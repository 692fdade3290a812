-- Collects results; logs each, and the total once all have arrived.
local function main(expected)
    expected = tonumber(expected)
    process.registry.register("sink")
    local events = process.events()
    local inbox = process.inbox()
    local got, sum = 0, 0
    while true do
        local r = channel.select { inbox:case_receive(), events:case_receive() }
        if r.channel == events then
            if r.value.kind == process.event.CANCEL then
                logger:info("sink stopping", { received = got })
                return got
            end
        else
            local res = r.value:payload():data()
            got, sum = got + 1, sum + res.square
            logger:info("result", { job = res.job, square = res.square, by = res.by })
            if got == expected then
                logger:info("all results in", { count = got, sum = sum })
            end
        end
    end
end

return { main = main }
