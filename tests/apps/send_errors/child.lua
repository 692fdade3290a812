return { main = function() return "done" end }
