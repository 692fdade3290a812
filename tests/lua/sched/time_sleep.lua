-- time.sleep: sleepers wake in deadline order, not in the order they slept.
local order = {}
local done = channel.new()
for _, ms in ipairs { 30, 10, 20 } do
	coroutine.spawn(function()
		time.sleep(ms .. "ms")
		order[#order + 1] = ms
		done:send(true)
	end)
end
for _ = 1, 3 do done:receive() end
assert(table.concat(order, ",") == "10,20,30", table.concat(order, ","))

-- Integers are nanoseconds.
local t0 = time.now()
time.sleep(20 * time.MILLISECOND)
local waited = time.now():sub(t0)
assert(math.type(waited) == "integer")
assert(waited >= 20 * time.MILLISECOND, waited)
assert(waited < 2 * time.SECOND, waited)

-- Zero or negative just lets the others run.
local ran = false
coroutine.spawn(function() ran = true end)
time.sleep(0)
assert(ran)
ran = false
coroutine.spawn(function() ran = true end)
time.sleep("-5s")
assert(ran)

-- A bad duration raises an Invalid error object with the position.
local ok, err = pcall(function() time.sleep("soon") end)
assert(not ok)
assert(err:kind() == "Invalid", err:kind())
assert(string.find(tostring(err), "time_sleep.lua:%d+: invalid duration \"soon\""), tostring(err))
ok, err = pcall(time.sleep, {})
assert(not ok and err:kind() == "Invalid")
ok, err = pcall(time.sleep, 1.5)
assert(not ok and err:kind() == "Invalid")
