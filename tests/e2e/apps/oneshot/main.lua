-- Under -x: t:user is up (its one-shot requirement is done); the orphans
-- never came up.
return { main = function()
    assert(process.registry.lookup("user"), "user is not up")
    assert(not process.registry.lookup("orphan"), "orphan is up")
    return 0
end }
