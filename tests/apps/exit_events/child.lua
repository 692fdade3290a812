local function main(parent, mode)
    if mode == "value" then
        for i = 1, 100 do process.send(parent, "n", i) end
        return { answer = 42, list = { "a", "b", "c" } }
    elseif mode == "error" then
        error("boom")
    elseif mode == "errvalue" then
        return nil, "soft failure"
    end
    return nil
end

return { main = main }
