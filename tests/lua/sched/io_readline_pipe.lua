-- io_readline_pipe.lua: reads its own source from stdin, through a pipe.
-- This line ends with CR LF.
-- Run as: cat io_readline_pipe.lua | osactor-shim --test io_readline_pipe.lua
local lines = {}
local other = 0
-- Another task keeps running while this one waits for input.
coroutine.spawn(function()
	while true do
		other = other + 1
		coroutine.yield()
	end
end)
while true do
	local l, err = io.readline()
	if l == nil then
		assert(err ~= nil and tostring(err) == "EOF", tostring(err))
		break
	end
	assert(not string.find(l, "[\r\n]"), "line ending left in " .. l)
	lines[#lines + 1] = l
end
assert(lines[1] == "-- io_readline_pipe.lua: reads its own source from stdin, through a pipe.", lines[1])
assert(lines[2] == "-- This line ends with CR LF.", lines[2])
assert(lines[#lines] == "-- the last line has no newline", lines[#lines])
assert(lines[#lines - 1] == "", "the empty line before the last one was lost")
-- At EOF, readline and read keep answering nil, err.
local l, err = io.readline()
assert(l == nil and tostring(err) == "EOF")
l, err = io.read(10)
assert(l == nil and tostring(err) == "EOF")
assert(other > 0)

-- the last line has no newline