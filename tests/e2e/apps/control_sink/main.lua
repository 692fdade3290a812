-- Registers "sink" (and an odd name for ps), then prints "TOPIC FROM TYPE
-- JSON" for each message (the payload re-encoded, so the test sees what the
-- shim decoded).  A "quit" message ends it with its payload as the exit
-- status.
local io = require("io")
local json = require("json")

local function main()
    local inbox = process.inbox()
    assert(process.registry.register("sink"))
    -- a name that ps must escape, in its table and in JSON
    assert(process.registry.register("odd name\t\"名\"\\"))
    io.print("ready " .. process.pid())
    while true do
        local msg = inbox:receive()
        local v = msg:payload():data()
        local text = v == nil and "null" or assert(json.encode(v))
        local kind = math.type(v) or type(v)
        io.print(msg:topic() .. " " .. msg:from() .. " " .. kind .. " " ..
            text)
        if msg:topic() == "quit" then
            return v
        end
    end
end

return { main = main }
