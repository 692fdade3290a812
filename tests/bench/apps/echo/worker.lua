-- The tutorial's worker without its 100 ms sleep.
return { main = function(sender_pid, data)
    process.send(sender_pid, "echo_response",
        { data = string.upper(data), worker = process.pid() })
    return 0
end }
