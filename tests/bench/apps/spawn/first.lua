-- Its first instruction reads the clock and sends the time to the actor
-- that spawned it.
return { main = function(parent)
    process.send(parent, "t", time.now():unix_nano())
end }
