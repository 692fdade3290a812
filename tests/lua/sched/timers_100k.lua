-- 100 000 sleepers with random deadlines wake in deadline order.
local N = 100000
local last = 0
local woke = 0
local late = 0
local done = channel.new(1)
math.randomseed(42)
for _ = 1, N do
	local ms = math.random(1, 300)
	coroutine.spawn(function()
		local due = time.now():unix_nano() + ms * time.MILLISECOND
		time.sleep(ms * time.MILLISECOND)
		-- The clock is read just before the timer is armed, and a
		-- preemption in between can swap neighbours; a broken heap
		-- swaps thousands.
		if due < last - 2 * time.MILLISECOND then
			late = late + 1
		end
		if due > last then last = due end
		woke = woke + 1
		if woke == N then done:send(true) end
	end)
end
done:receive()
assert(woke == N)
assert(late <= N // 1000, late .. " sleepers woke out of order")

-- 100 000 time.after channels: each fires once and closes.
local chans = {}
for i = 1, N do
	chans[i] = time.after((1 + i % 50) * time.MILLISECOND)
end
for i = 1, N do
	local v, ok = chans[i]:receive()
	assert(ok and v)
	assert(select(2, chans[i]:receive()) == false)
end
