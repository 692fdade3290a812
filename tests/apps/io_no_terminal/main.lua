return { main = function()
    local v, err = process.exec("t:child", "t:procs")
    assert(v == "checked", tostring(err))
    return 0
end }
