return { main = function()
    time.sleep("300ms")
    error("failed after running stably")
end }
