-- coroutine.spawn: tasks interleave at blocking calls and yields.
local log = {}
local done = channel.new()

local function worker(name, n, step)
	for i = 1, n do
		log[#log + 1] = name .. i
		time.sleep(step)
	end
	done:send(name)
end

-- a wakes at 0 20 40 60 80 ms, b at 0 50 100: a1 b1 a2 a3 b2 a4 a5 b3
coroutine.spawn(worker, "a", 5, "20ms")
coroutine.spawn(worker, "b", 3, "50ms")
done:receive()
done:receive()
assert(table.concat(log, " ") == "a1 b1 a2 a3 b2 a4 a5 b3", table.concat(log, " "))

-- Ping-pong through unbuffered channels gives a fixed order.
local ping, pong = channel.new(), channel.new()
local seq = {}
coroutine.spawn(function()
	for i = 1, 3 do
		local v = ping:receive()
		seq[#seq + 1] = "ping" .. v
		pong:send(i)
	end
end)
for i = 1, 3 do
	ping:send(i)
	local v = pong:receive()
	seq[#seq + 1] = "pong" .. v
end
assert(table.concat(seq, " ") == "ping1 pong1 ping2 pong2 ping3 pong3", table.concat(seq, " "))

-- A bare coroutine.yield() goes to the back of the run queue.
local rr = {}
for _, name in ipairs { "x", "y", "z" } do
	coroutine.spawn(function()
		for i = 1, 2 do
			rr[#rr + 1] = name .. i
			coroutine.yield()
		end
	end)
end
coroutine.yield()
coroutine.yield()
coroutine.yield()
assert(table.concat(rr, " ") == "x1 y1 z1 x2 y2 z2", table.concat(rr, " "))

-- The user's own coroutines keep their meaning.
local gen = coroutine.wrap(function()
	for i = 1, 3 do coroutine.yield(i) end
end)
assert(gen() == 1 and gen() == 2 and gen() == 3)
local co = coroutine.create(function(a, b)
	local c = coroutine.yield(a + b)
	return c * 2
end)
local ok, v = coroutine.resume(co, 1, 2)
assert(ok and v == 3)
ok, v = coroutine.resume(co, 5)
assert(ok and v == 10 and coroutine.status(co) == "dead")

-- Blocking inside a user's coroutine is refused cleanly, for now.
local uco = coroutine.create(function() time.sleep("1ms") end)
local uok, uerr = coroutine.resume(uco)
assert(not uok and string.find(uerr, "blocking call outside a scheduled coroutine", 1, true), uerr)

-- A task's coroutine cannot be resumed from Lua.
local me
coroutine.spawn(function()
	me = coroutine.running()
	channel.new():receive()
end)
coroutine.yield()
local rok, rerr = coroutine.resume(me)
assert(rok == false and string.find(rerr, "scheduled coroutine", 1, true), rerr)
assert(not pcall(coroutine.close, me))

-- Extra arguments reach the spawned function; non-functions are refused.
local args = channel.new(1)
coroutine.spawn(function(p, q) args:send(p .. q) end, "p", "q")
assert(args:receive() == "pq")
assert(not pcall(coroutine.spawn, 42))

-- Tasks still blocked when main returns are abandoned, not an error.
coroutine.spawn(function() channel.new():receive() end)
coroutine.spawn(function() time.sleep("1h") end)
