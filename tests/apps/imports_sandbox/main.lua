-- A library file is required after the sandbox is on: it was loaded
-- before, so the require() opens nothing.
local function main()
    assert(require("lib").twice("ab") == "abab")
    return 0
end

return { main = main }
