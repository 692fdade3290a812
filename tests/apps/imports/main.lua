assert(time == nil, "a library's modules are not the importer's")
-- library.lua entries through imports: the value is computed once per
-- actor, each entry (the actor's and each library) sees only its own
-- modules: and imports:, and unknown names still fail.
local function main()
    local util = require("util")
    local greet = require("greet")
    assert(require("util") == util, "the same value every time")
    assert(greet.util == util, "one value per actor, whoever imports it")
    assert(util.loads() == 1, "the library ran once, not " .. util.loads())
    assert(loads == nil, "a library's globals are its own")
    assert(util.twice("ab") == "abab")
    assert(greet.hello("x") == "hello xx")
    assert(greet.uses == "util", "a library's alias is its own, not "
        .. tostring(greet.uses))
    assert(require("u").name == "other", "the importer's alias is its own")
    assert(util.nap() == true, "a library's modules are there")
    assert(util.loaded_sees_time, "load() in a library runs in its globals")
    assert(not util.sees_io, "the importer's modules are not a library's")
    assert(not greet.sees_time and not greet.sees_io,
        "one library's modules are not another's")
    assert(type(io) == "table" and time == nil)
    local ok, err = pcall(require, "helper")
    assert(not ok and err:find("module 'helper' not found", 1, true), err)
    ok, err = pcall(require, "time")
    assert(not ok and err:find("module 'time' not found", 1, true), err)
    ok, err = pcall(require, "nothing")
    assert(not ok and err:find("module 'nothing' not found", 1, true), err)
    return 0
end

return { main = main }
