-- Unaffected by its neighbour's crashes: a heartbeat every 2 seconds.
return { main = function()
    local beats = 0
    while true do
        time.sleep("2s")
        beats = beats + 1
        logger:info("steady: still here", { beats = beats })
    end
end }
