-- hide_logs on the terminal host: with -v, this actor's log lines still
-- stay out of the terminal.
return { main = function()
    logger:error("hidden error line")
    print("hidden print line")
    io.print("shown")
    return 0
end }
