#!/usr/bin/env osactor
local util = require("util")

local function run(a, b)
	return util.join(a, b)
end

return { run = run }
