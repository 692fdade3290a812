-- expect: spawn_error_fails.lua:5: boom in a spawned coroutine
-- An error in any spawned coroutine fails the whole actor at once.
coroutine.spawn(function()
	time.sleep("5ms")
	error("boom in a spawned coroutine")
end)
time.sleep("10s")
error("main should never get here")
