-- os in the sandbox (API.md section 1 and 6): only time, date, clock and
-- difftime; nothing that reaches the process, the environment or files.
local names = {}
for k in pairs(os) do names[#names + 1] = k end
table.sort(names)
assert(table.concat(names, ",") == "clock,date,difftime,time", table.concat(names, ","))
for _, k in ipairs { "exit", "execute", "getenv", "remove", "rename", "tmpname", "setlocale" } do
	assert(os[k] == nil, "os." .. k .. " is reachable")
	assert(rawget(os, k) == nil)
end
assert(getmetatable(os) == nil)

-- The stock io library, debug, package and file loaders are gone too.
assert(debug == nil and package == nil)
assert(dofile == nil and loadfile == nil)
assert(io.open == nil and io.popen == nil and io.lines == nil and io.input == nil)
local f, err = load(string.dump(function() return 1 end))
assert(f == nil and string.find(err, "binary chunk", 1, true), err)
assert(load("return 1")() == 1)
assert(not pcall(require, "os"))
assert(not pcall(require, "debug"))
