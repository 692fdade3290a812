-- library.lua entries through imports: the value is computed once per
-- actor, a library can import another, and unknown names still fail.
local function main()
    local util = require("util")
    local greet = require("greet")
    assert(require("util") == util, "the same value every time")
    assert(loads == 1, "the library ran once, not " .. tostring(loads))
    assert(util.twice("ab") == "abab")
    assert(greet.hello("x") == "hello xx")
    assert(util.nap() == true, "a library's modules are there")
    local ok, err = pcall(require, "nothing")
    assert(not ok and err:find("module 'nothing' not found", 1, true), err)
    return 0
end

return { main = main }
