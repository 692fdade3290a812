-- time.after, time.timer, time.ticker.
-- after: one Time value, then the channel is closed.
local ch = time.after("20ms")
local t0 = time.now()
local v, ok = ch:receive()
assert(ok == true and getmetatable(v) ~= nil and type(v:unix()) == "number")
assert(time.now():sub(t0) >= 15 * time.MILLISECOND)
v, ok = ch:receive()
assert(v == nil and ok == false, "time.after channel not closed")

-- after in a select, against a channel that never gets anything.
local never = channel.new()
local timeout = time.after("10ms")
local r = channel.select { never:case_receive(), timeout:case_receive() }
assert(r.channel == timeout and r.ok == true)

-- after with a bad or non-positive duration: nil, err.
local c, err = time.after(0)
assert(c == nil and err:kind() == "Invalid")
c, err = time.after("-1s")
assert(c == nil and err:kind() == "Invalid")
c, err = time.after("x")
assert(c == nil and err:kind() == "Invalid")

-- after whose value is never read fires into the buffer and closes.
local unread = time.after("5ms")
time.sleep("20ms")
v, ok = unread:receive()
assert(ok and v)
assert(select(2, unread:receive()) == false)

-- timer: fires once into its response channel.
local tm = time.timer("15ms")
local resp = tm:response()
assert(resp == tm:response())
v, ok = resp:receive()
assert(ok and v)
assert(tm:stop() == false, "a fired timer is not active")

-- stop before it fires: it never fires.
tm = time.timer("20ms")
assert(tm:stop() == true)
local probe = time.after("50ms")
r = channel.select { tm:response():case_receive(), probe:case_receive() }
assert(r.channel == probe, "a stopped timer fired")

-- reset: a stopped timer fires again, after the new duration.
assert(tm:reset("10ms") == false)
t0 = time.now()
v, ok = tm:response():receive()
assert(ok and v)
assert(time.now():sub(t0) >= 8 * time.MILLISECOND)

-- reset while running moves the deadline.
tm = time.timer("10ms")
assert(tm:reset("60ms") == true)
probe = time.after("30ms")
r = channel.select { tm:response():case_receive(), probe:case_receive() }
assert(r.channel == probe, "reset did not move the deadline")
r = channel.select { tm:response():case_receive() }
assert(r.channel == tm:response() and r.ok)

local bad, berr = tm:reset("nope")
assert(bad == nil and berr:kind() == "Invalid")
bad, berr = time.timer({})
assert(bad == nil and berr:kind() == "Invalid")

-- ticker: regular ticks until stopped.
local tk = time.ticker("10ms")
t0 = time.now()
for _ = 1, 5 do
	v, ok = tk:response():receive()
	assert(ok and v)
end
local took = time.now():sub(t0)
assert(took >= 40 * time.MILLISECOND, took)
assert(tk:stop() == true)
-- At most one tick was buffered before the stop; then nothing more.
channel.select { tk:response():case_receive(), default = true }
probe = time.after("40ms")
r = channel.select { tk:response():case_receive(), probe:case_receive() }
assert(r.channel == probe, "a stopped ticker ticked")

-- A slow reader loses ticks instead of getting a burst: one is kept.
tk = time.ticker("5ms")
time.sleep("50ms")
local n = 0
while n < 10 do
	local got = channel.select { tk:response():case_receive(), default = true }
	if got.default then break end
	n = n + 1
end
assert(n == 1, n)
tk:stop()

c, err = time.ticker(0)
assert(c == nil and err:kind() == "Invalid")

-- A ticker dropped without stop keeps ticking through its channel.
local tch = time.ticker("5ms"):response()
collectgarbage()
collectgarbage()
for _ = 1, 3 do assert(tch:receive()) end
-- Timers still armed when main returns are simply abandoned.
time.timer("1h")
