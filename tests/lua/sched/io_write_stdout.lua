-- io_write_stdout.lua: what io writes, filtered.  Expected stdout is every
-- line starting with "--> ", prefix removed, after printf %b escapes.
-- The tutorial's cli.lua as extracted: its colour codes lost their "[..m".
local reset = "\027"
local function dim(s) return "\027" .. s .. reset end
local function green(s) return "\027" .. s .. reset end
local function yellow(s) return "\027" .. s .. reset end
local function cyan(s) return "\027" .. s .. reset end
io.print(cyan("Echo Client"))
io.print(dim("Type messages to echo. Ctrl+C to exit.\n"))
io.write(yellow("> "))
io.write("hello world\n")
io.print(green("  HELLO WORLD"))
io.print(dim("  from worker: {app:processes|0x00004}"))
--> Echo Client
--> Type messages to echo. Ctrl+C to exit.
-->
--> > hello world
-->   HELLO WORLD
-->   from worker: {app:processes|0x00004}

-- A repaired copy keeps its colours.
io.print("\027[36mEcho Client\027[0m")
--> \033[36mEcho Client\033[0m

-- Other sequences lose their ESC and print as text.
io.write("a\027]0;title\007b\027[2Jc\027cd\n")
--> a]0;title\007b[2Jccd

-- A colour split across two writes is still a colour.
io.write("\027[3")
io.write("1mred\027[0m\n")
--> \033[31mred\033[0m

-- print: tostring of each argument, tab-separated; write: numbers too.
io.print(1, nil, true, 2.5)
--> 1\tnil\ttrue\t2.5
io.write(42, " ", 1.5, "\n")
--> 42 1.5
assert(io.write("x") == true)
assert(io.flush() == true)
io.write("\n")
--> x
assert(not pcall(io.write, {}))
local args = io.args()
assert(type(args) == "table" and #args == 0)
