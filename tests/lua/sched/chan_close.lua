-- close: buffered values drain, then nil,false; sends raise; twice is fine.
local ch = channel.new(2)
ch:send("a")
ch:send("b")
ch:close()
ch:close()

local v, ok = ch:receive()
assert(v == "a" and ok == true)
v, ok = ch:receive()
assert(v == "b" and ok == true)
v, ok = ch:receive()
assert(v == nil and ok == false)
v, ok = ch:receive()
assert(v == nil and ok == false)

local sent, err = pcall(ch.send, ch, 1)
assert(not sent and string.find(err, "send on closed channel", 1, true), err)
-- The message carries the caller's position, like any Lua error.
local _, where = pcall(function() ch:send(1) end)
assert(string.find(where, "^[^:]*chan_close.lua:%d+: send on closed channel$"), where)

-- Blocked receivers are woken with nil, false.
local un = channel.new()
local results = {}
for i = 1, 3 do
	coroutine.spawn(function()
		results[i] = table.pack(un:receive())
	end)
end
coroutine.yield()
un:close()
coroutine.yield()
for i = 1, 3 do
	assert(results[i].n == 2 and results[i][1] == nil and results[i][2] == false)
end

-- Blocked senders raise "send on closed channel".
local full = channel.new()
local outcome
coroutine.spawn(function()
	local okk, e = pcall(full.send, full, "never")
	outcome = { okk, e }
end)
coroutine.yield()
full:close()
coroutine.yield()
assert(outcome[1] == false)
assert(string.find(outcome[2], "send on closed channel", 1, true), outcome[2])

-- A select blocked on a channel that closes gets ok=false.
local sc = channel.new()
local r
coroutine.spawn(function()
	r = channel.select { sc:case_receive() }
end)
coroutine.yield()
sc:close()
coroutine.yield()
assert(r.channel == sc and r.ok == false and r.value == nil)

-- A send case on a closed channel raises, as in Go.
local e2 = select(2, pcall(channel.select, { sc:case_send(1) }))
assert(string.find(e2, "send on closed channel", 1, true), e2)
