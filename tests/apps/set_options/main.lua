-- set_options refuses, with false and an Invalid error, an unknown option
-- and a trap_links that is not a boolean; a refused call changes nothing.
local function main()
    local ok, err = process.set_options({ bogus = 1 })
    assert(ok == false and tostring(err) == "unknown option", tostring(err))
    assert(err:kind() == errors.INVALID)
    ok, err = process.set_options({ trap_links = "yes" })
    assert(ok == false and tostring(err) == "trap_links must be a boolean",
        tostring(err))
    assert(err:kind() == errors.INVALID)
    ok, err = process.set_options({ trap_links = true, bogus = true })
    assert(ok == false and tostring(err) == "unknown option", tostring(err))
    assert(process.get_options().trap_links == false, "changed by a refusal")
    assert(process.set_options({}) == true)
    assert(process.set_options({ trap_links = true }) == true)
    assert(process.get_options().trap_links == true)
    return 0
end

return { main = main }
