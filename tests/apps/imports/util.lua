-- Runs once per actor, however many times it is required.
loads = (loads or 0) + 1
return {
    twice = function(s) return s .. s end,
    nap = function() time.sleep("1ms") return true end,
}
