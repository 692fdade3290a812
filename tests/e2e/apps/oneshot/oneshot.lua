-- A one-shot: does its work and returns before it ever waits.
return { main = function() return "initialised" end }
