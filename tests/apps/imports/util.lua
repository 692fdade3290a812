-- Runs once per actor, however many times it is required; its globals
-- are its own.
loads = (loads or 0) + 1
return {
    name = "util",
    loads = function() return loads end,
    twice = function(s) return s .. s end,
    nap = function() time.sleep("1ms") return true end,
    loaded_sees_time = load("return time ~= nil")(),
    sees_io = io ~= nil,
}
