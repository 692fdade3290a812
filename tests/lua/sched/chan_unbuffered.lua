-- An unbuffered channel is a rendezvous: the sender waits for a receiver.
local ch = channel.new()
local log = {}

coroutine.spawn(function()
	log[#log + 1] = "send start"
	ch:send("x")
	log[#log + 1] = "send done"
end)

-- Let the sender run until it blocks.
coroutine.yield()
coroutine.yield()
assert(#log == 1 and log[1] == "send start", "sender did not block")

local v, ok = ch:receive()
assert(v == "x" and ok == true)
coroutine.yield()
assert(log[2] == "send done", "sender not woken after the receive")

-- A receiver waiting first gets the value straight from send.
local got
coroutine.spawn(function()
	got = table.pack(ch:receive())
end)
coroutine.yield()
ch:send(nil)
coroutine.yield()
assert(got.n == 2 and got[1] == nil and got[2] == true)

-- Values of any type pass through unchanged.
local t, f = {}, function() end
coroutine.spawn(function()
	ch:send(t)
	ch:send(f)
	ch:send(ch)
	ch:send(3.5)
	ch:send(false)
end)
assert(ch:receive() == t)
assert(ch:receive() == f)
assert(ch:receive() == ch)
local x = ch:receive()
assert(x == 3.5 and math.type(x) == "float")
local b, bok = ch:receive()
assert(b == false and bok == true)

-- Several blocked senders are served first come, first served.
local order = {}
for i = 1, 5 do
	coroutine.spawn(function() ch:send(i) end)
end
for i = 1, 5 do
	order[i] = ch:receive()
end
assert(table.concat(order, ",") == "1,2,3,4,5", table.concat(order, ","))

-- And so are blocked receivers.
local seen = {}
for i = 1, 3 do
	coroutine.spawn(function()
		local v = ch:receive()
		seen[#seen + 1] = i .. "=" .. v
	end)
end
coroutine.yield()
ch:send("a")
ch:send("b")
ch:send("c")
coroutine.yield()
assert(table.concat(seen, ",") == "1=a,2=b,3=c", table.concat(seen, ","))
