-- Sends n jobs to the workers, a few milliseconds apart, then ends: a
-- service that exits normally is done, and is not restarted.
local function main(n)
    for job = 1, tonumber(n) do
        local ok, err = process.send("workers", "job", job)
        if not ok then logger:error("send failed", { error = err }) end
        time.sleep("5ms")
    end
    logger:info("producer done", { jobs = tonumber(n) })
    return 0
end

return { main = main }
