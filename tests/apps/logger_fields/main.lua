-- logger:with adds fields to every line of the new logger (the old one
-- keeps its own) and logger:named names the source; run with -v, so the
-- lines reach stderr, where expect-stderr looks for them.
local function main()
    local base = logger:with({ req = 7, user = "ann" })
    base:info("with fields", { extra = true })
    logger:info("without fields")
    local db = base:named("db")
    db:warn("named once")
    db:named("pool"):error("named twice", { size = 2 })
    return 0
end

return { main = main }
