-- io_read_pipe.lua: reads its own source from stdin in small pieces.
-- Run as: cat io_read_pipe.lua | osactor-shim --test io_read_pipe.lua
local parts = {}
local first = io.read(5)
assert(first == "-- io", first)
parts[1] = first
while true do
	local s, err = io.read(7)
	if s == nil then
		assert(tostring(err) == "EOF", tostring(err))
		break
	end
	assert(#s >= 1 and #s <= 7, #s)
	parts[#parts + 1] = s
end
local all = table.concat(parts)
assert(all:sub(1, 20) == "-- io_read_pipe.lua:", all:sub(1, 20))
assert(all:sub(-8) == "-- end\r\n", string.format("%q", all:sub(-8)))
assert(not pcall(io.read, 0))
assert(not pcall(io.read, -1))
assert(io.read() == nil)
-- end
