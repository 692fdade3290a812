-- expect: all coroutines blocked with no pending operations
-- Every task waits on something nothing can feed: fail, do not hang.
local ch = channel.new()
coroutine.spawn(function() channel.new():receive() end)
ch:receive()
