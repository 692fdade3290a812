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

-- A blocking call inside a user's own coroutine suspends the whole chain
-- to the scheduler and comes back transparently; the user's own yields
-- still go to the user's resume.
local uco = coroutine.create(function(x)
	time.sleep("1ms")
	local y = coroutine.yield(x + 1)
	time.sleep("1ms")
	return y * 2
end)
local uok, uv = coroutine.resume(uco, 1)
assert(uok and uv == 2, tostring(uv))
uok, uv = coroutine.resume(uco, 21)
assert(uok and uv == 42 and coroutine.status(uco) == "dead")
local dead_ok, dead_err = coroutine.resume(uco)
assert(not dead_ok and dead_err == "cannot resume dead coroutine")

-- An iterator built with coroutine.wrap that blocks on a channel and a
-- timer, nested two levels deep.
local feed = channel.new(3)
coroutine.spawn(function()
	for i = 1, 3 do feed:send(i * 10) end
end)
local function items()
	return coroutine.wrap(function()
		for _ = 1, 3 do
			local inner = coroutine.wrap(function()
				coroutine.yield((feed:receive()))
			end)
			time.sleep("1ms")
			coroutine.yield(inner())
		end
	end)
end
local got = {}
for v in items() do got[#got + 1] = v end
assert(table.concat(got, ",") == "10,20,30", table.concat(got, ","))

-- An error inside still reaches the user's resume, as in stock Lua.
local eco = coroutine.create(function() time.sleep("1ms") error("inner", 0) end)
local eok, eerr = coroutine.resume(eco)
assert(not eok and eerr == "inner")

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
