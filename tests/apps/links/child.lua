local function main(mode)
    if mode == "error" then
        error("child failed", 0)
    elseif mode == "chain" then
        process.spawn_linked("t:child", "t:procs", "error")
        time.sleep("10s")
    elseif mode == "wait" then
        local m = process.inbox():receive()
        error("told to " .. m:topic(), 0)
    end
    return "ok"
end

return { main = main }
