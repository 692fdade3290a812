-- expect: main_error_fails.lua:4: attempt to index a nil value
-- An error in the main chunk fails the run with Lua's own message.
local t = nil
local x = t.field
