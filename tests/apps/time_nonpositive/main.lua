-- time.after and time.ticker with a duration <= 0 return nil and an
-- Invalid error; a bad duration string is Invalid too.
local function refused(fn, d, want)
    local v, err = fn(d)
    assert(v == nil and err, tostring(d))
    assert(err:kind() == errors.INVALID, err:kind())
    assert(tostring(err) == want, tostring(err))
end

local function main()
    for _, d in ipairs { 0, -1, "0s", "-5ms" } do
        refused(time.after, d, "time.after: duration must be positive")
        refused(time.ticker, d, "time.ticker: interval must be positive")
    end
    local v, err = time.after("soon")
    assert(v == nil and err:kind() == errors.INVALID)
    assert(tostring(err):find("invalid duration", 1, true), tostring(err))
    -- a positive one works
    assert(time.after(1):receive())
    return 0
end

return { main = main }
