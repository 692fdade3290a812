return { main = function() return process.id() end }
