-- channel.select: table order, default, blocking on several, identity.
local a, b = channel.new(1), channel.new(1)

-- Both ready: the first case in table order wins, every time.
for _ = 1, 10 do
	a:send("A")
	b:send("B")
	local r = channel.select { b:case_receive(), a:case_receive() }
	assert(r.channel == b and r.value == "B" and r.ok == true)
	r = channel.select { a:case_receive(), b:case_receive() }
	assert(r.channel == a and r.value == "A" and r.ok == true)
end

-- Nothing ready and default: {default=true, ok=true}.
local r = channel.select { a:case_receive(), b:case_receive(), default = true }
assert(r.default == true and r.ok == true and r.channel == nil)

-- Default is not taken when a case is ready.
b:send(7)
r = channel.select { a:case_receive(), b:case_receive(), default = true }
assert(r.channel == b and r.value == 7 and not r.default)

-- Send cases: ready when the buffer has room.
r = channel.select { a:case_send("s") }
assert(r.channel == a and r.ok == true)
assert(a:receive() == "s")

-- Blocked on several channels: woken by the right one, once.
local x, y = channel.new(), channel.new()
local got = {}
coroutine.spawn(function()
	local res = channel.select { x:case_receive(), y:case_receive() }
	got[#got + 1] = res
end)
coroutine.yield()
y:send("from y")
coroutine.yield()
assert(#got == 1 and got[1].channel == y and got[1].value == "from y")

-- No stale waiter on x: a later send there reaches a new receiver, once.
local later = {}
coroutine.spawn(function() later[#later + 1] = x:receive() end)
coroutine.yield()
x:send("from x")
coroutine.yield()
assert(#later == 1 and later[1] == "from x")
assert(#got == 1, "the finished select fired again")

-- A blocked select with a send case completes when a receiver comes.
local sel
coroutine.spawn(function()
	sel = channel.select { x:case_send("sx"), y:case_receive() }
end)
coroutine.yield()
assert(x:receive() == "sx")
coroutine.yield()
assert(sel.channel == x and sel.ok == true)
-- and it left nothing on y
coroutine.spawn(function() y:send("late") end)
local late = channel.select { y:case_receive(), default = true }
if late.default then
	coroutine.yield()
	late = channel.select { y:case_receive() }
end
assert(late.channel == y and late.value == "late")

-- Many selects on the same channels; each value is delivered once.
local c1, c2 = channel.new(), channel.new()
local count, sum = 0, 0
local done = channel.new()
for _ = 1, 10 do
	coroutine.spawn(function()
		local res = channel.select { c1:case_receive(), c2:case_receive() }
		count = count + 1
		sum = sum + res.value
		done:send(true)
	end)
end
coroutine.yield()
for i = 1, 10 do
	if i % 2 == 0 then c1:send(i) else c2:send(i) end
end
for _ = 1, 10 do done:receive() end
assert(count == 10 and sum == 55)

-- Identity: r.channel is the very channel object.
local inbox = channel.new(1)
inbox:send(1)
r = channel.select { inbox:case_receive() }
assert(r.channel == inbox and rawequal(r.channel, inbox))

-- Bad arguments are errors.
assert(not pcall(channel.select, { 1 }))
assert(not pcall(channel.select, {}))
assert(not pcall(channel.select))
