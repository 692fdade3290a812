local function main()
    local t = nil
    return t.field
end
return { main = main }
