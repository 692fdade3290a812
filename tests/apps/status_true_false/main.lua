return { main = function() return false end }
