return { main = function(watch)
    if watch then
        local events = process.events()
        while true do events:receive() end
    end
    process.inbox():receive()
end }
