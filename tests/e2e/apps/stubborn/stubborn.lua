return { main = function()
    local events = process.events()
    while true do events:receive() end
end }
