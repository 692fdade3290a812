-- A buffered channel takes up to its capacity without a receiver, in order.
local ch = channel.new(3)
ch:send(1)
ch:send(2)
ch:send(3)

local blocked = true
coroutine.spawn(function()
	ch:send(4)
	blocked = false
end)
coroutine.yield()
coroutine.yield()
assert(blocked, "a send into a full buffer did not block")

assert(ch:receive() == 1)
-- The blocked sender's value moved into the buffer, behind 2 and 3.
coroutine.yield()
assert(not blocked, "the sender was not woken when room appeared")
assert(ch:receive() == 2)
assert(ch:receive() == 3)
assert(ch:receive() == 4)

-- FIFO over many values, with nil kept in its place.
local big = channel.new(100)
for i = 1, 100 do
	big:send(i % 10 == 0 and nil or i)
end
for i = 1, 100 do
	local v, ok = big:receive()
	assert(ok == true)
	assert(v == (i % 10 == 0 and nil or i))
end

-- Capacity must be a non-negative integer.
assert(not pcall(channel.new, -1))
assert(not pcall(channel.new, "x"))
assert(channel.new(0))

-- Producer and consumer with a small buffer keep the order.
local pipe = channel.new(2)
local done = channel.new()
coroutine.spawn(function()
	local last = 0
	for _ = 1, 1000 do
		local v = pipe:receive()
		assert(v == last + 1)
		last = v
	end
	done:send(last)
end)
for i = 1, 1000 do
	pipe:send(i)
end
assert(done:receive() == 1000)
