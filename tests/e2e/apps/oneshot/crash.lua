return { main = function() error("crashed on purpose") end }
