-- os.time, os.date, os.clock and os.difftime keep their Lua 5.4 meaning.
local now = os.time()
assert(math.type(now) == "integer")
assert(now > 1600000000, now)
assert(math.abs(now - time.now():unix()) <= 2)

-- A date table and os.time are inverses; "!" is UTC.
local t = os.date("*t", now)
assert(type(t.year) == "number" and t.month >= 1 and t.month <= 12)
assert(type(t.isdst) == "boolean")
assert(os.time(t) == now)
local epoch = os.date("!*t", 0)
assert(epoch.year == 1970 and epoch.month == 1 and epoch.day == 1 and epoch.hour == 0)
assert(os.date("!%Y-%m-%dT%H:%M:%SZ", 86400 + 3661) == "1970-01-02T01:01:01Z")
assert(os.date("!%j %a %b", 0) == "001 Thu Jan")
assert(type(os.date()) == "string" and #os.date() > 0)
assert(os.date("%Y", now) == tostring(t.year))
assert(os.time { year = 2000, month = 1, day = 1, hour = 12 } ==
    os.time { year = 1999, month = 13, day = 1, hour = 12 })
local ok, err = pcall(os.time, { year = 2000, day = 1 })
assert(not ok and string.find(err, "field 'month' missing", 1, true), err)
ok, err = pcall(os.date, "%Q")
assert(not ok and string.find(err, "invalid conversion specifier", 1, true), err)

-- difftime is a float number of seconds.
assert(os.difftime(now + 90, now) == 90.0)
assert(math.type(os.difftime(now, now - 1)) == "float")
assert(os.difftime(0, 30) == -30.0)

-- clock is this actor's CPU time: it grows with work, not with sleep.
local c0 = os.clock()
assert(math.type(c0) == "float" and c0 >= 0)
local x = 0
for i = 1, 3000000 do x = x + i % 7 end
local c1 = os.clock()
assert(c1 > c0, "clock did not advance")
time.sleep("50ms")
assert(os.clock() - c1 < 0.04, "clock counted a sleep")
