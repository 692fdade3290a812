-- Burns CPU until the host's cpu_time limit stops it.
return { main = function()
    local n = 0
    while true do n = n + 1 end
end }
