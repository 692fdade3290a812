-- jsonl_check.lua: osactor-shim --test jsonl_check.lua < LOG
-- Each line of the log must be one JSON object, as the shim's strict
-- decoder reads it, with the keys of a log record; prints one line per
-- record: level, entry, pid ("-" if none), logger ("-"), msg and
-- fields, strings quoted with control bytes as \DDD (decimal).
local function q(s)
	return '"' .. s:gsub("[%c\\\"]", function(c)
		return "\\" .. c:byte()
	end) .. '"'
end
local n = 0
while true do
	local l, err = io.readline()
	if l == nil then
		assert(tostring(err) == "EOF", tostring(err))
		break
	end
	n = n + 1
	local r, derr = json.decode(l)
	assert(r ~= nil, "line " .. n .. " is not JSON: " .. tostring(derr))
	assert(type(r) == "table", "line " .. n .. " is not an object")
	assert(type(r.time) == "string" and
	    r.time:match("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%dZ$"),
	    "line " .. n .. ": time " .. tostring(r.time))
	for _, k in ipairs({ "level", "entry", "msg" }) do
		assert(type(r[k]) == "string", "line " .. n .. ": no " .. k)
	end
	for _, k in ipairs({ "pid", "logger" }) do
		assert(r[k] == nil or type(r[k]) == "string",
		    "line " .. n .. ": " .. k)
	end
	assert(r.fields == nil or type(r.fields) == "table",
	    "line " .. n .. ": fields")
	local f = {}
	for k, v in pairs(r.fields or {}) do
		assert(type(k) == "string", "line " .. n .. ": a field key")
		f[#f + 1] = k .. "=" .. q(tostring(v))
	end
	table.sort(f)
	io.write(string.format("%s %s %s %s %s %s\n", r.level, r.entry,
	    r.pid or "-", r.logger or "-", q(r.msg), table.concat(f, " ")))
end
assert(n > 0, "no log lines")
