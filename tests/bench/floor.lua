-- What Lua itself can do with 64-byte messages in one process, no socket
-- at all: batches of 1024 strings through a channel, sent then received.
-- Run by make bench with osactor-shim --test; prints messages per second.
local n, batch = 1000000, 1024
local ch = channel.new(batch)
local msg = string.rep("x", 64)
local t0 = time.now()
for _ = 1, n // batch do
    for _ = 1, batch do ch:send(msg) end
    for _ = 1, batch do ch:receive() end
end
local ns = time.now():sub(t0)
io.print(string.format("%.0f", n // batch * batch / (ns / 1e9)))
