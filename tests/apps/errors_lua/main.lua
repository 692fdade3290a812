-- errors.wrap prefixes the message and keeps kind, retryable and details;
-- the kind constants are the strings of API.md section 2.
local kinds = {
    NOT_FOUND = "NotFound", ALREADY_EXISTS = "AlreadyExists",
    INVALID = "Invalid", PERMISSION_DENIED = "PermissionDenied",
    UNAVAILABLE = "Unavailable", INTERNAL = "Internal",
    CANCELED = "Canceled", CONFLICT = "Conflict", TIMEOUT = "Timeout",
    RATE_LIMITED = "RateLimited", UNKNOWN = "",
}

local function main()
    for name, kind in pairs(kinds) do
        assert(errors[name] == kind, name)
    end
    local base = errors.new({ message = "disk full", kind = errors.UNAVAILABLE,
        retryable = true, details = { disk = "sda" } })
    local w = errors.wrap(base, "saving")
    assert(tostring(w) == "saving: disk full", tostring(w))
    assert(w:message() == "saving: disk full")
    assert(w:kind() == errors.UNAVAILABLE and errors.is(w, errors.UNAVAILABLE))
    assert(w:retryable() == true and w:details().disk == "sda")
    assert(tostring(base) == "disk full", "wrap changed the original")
    local ww = errors.wrap(w, "job 3")
    assert(tostring(ww) == "job 3: saving: disk full" and errors.is(ww, base))
    -- a string is wrapped into an error of kind UNKNOWN
    local s = errors.wrap("plain", "ctx")
    assert(tostring(s) == "ctx: plain" and s:kind() == errors.UNKNOWN)
    assert(s:retryable() == false)
    assert(errors.wrap(nil, "ctx") == nil)
    assert(not errors.is(w, errors.NOT_FOUND) and not errors.is("x", ""))
    return 0
end

return { main = main }
