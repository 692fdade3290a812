local function main(mode)
    if mode == "return" then
        return nil, errors.new({ message = "typed", kind = errors.CONFLICT,
            retryable = true, details = { id = 7, tags = { "a" } } })
    elseif mode == "raise" then
        error(errors.new({ message = "raised", kind = errors.TIMEOUT }))
    elseif mode == "opaque" then
        -- details that cannot cross a process boundary are left out
        return nil, errors.new({ message = "opaque", kind = errors.INVALID,
            details = { f = print } })
    elseif mode == "wait" then
        process.inbox():receive()
    end
    return nil, "plain"
end

return { main = main }
