-- Durations, constants and Time values.
assert(time.NANOSECOND == 1)
assert(time.MICROSECOND == 1000)
assert(time.MILLISECOND == 1000000)
assert(time.SECOND == 1000000000)
assert(time.MINUTE == 60 * time.SECOND)
assert(time.HOUR == 60 * time.MINUTE)
for _, k in ipairs { "NANOSECOND", "MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR" } do
	assert(math.type(time[k]) == "integer")
end

local cases = {
	{ "1h30m", 90 * time.MINUTE },
	{ "1.5s", 1500 * time.MILLISECOND },
	{ "100ms", 100 * time.MILLISECOND },
	{ "5s", 5 * time.SECOND },
	{ "250us", 250 * time.MICROSECOND },
	{ "250\u{b5}s", 250 * time.MICROSECOND },
	{ "42ns", 42 },
	{ "-2m", -2 * time.MINUTE },
	{ "0", 0 },
	{ "1h2m3s4ms5us6ns", time.HOUR + 2 * time.MINUTE + 3 * time.SECOND +
	    4 * time.MILLISECOND + 5 * time.MICROSECOND + 6 },
	{ 12345, 12345 },
	{ 2.0, 2 },
}
for _, c in ipairs(cases) do
	local d, err = time.parse_duration(c[1])
	assert(d == c[2], tostring(c[1]) .. " -> " .. tostring(d) .. " " .. tostring(err))
	assert(math.type(d) == "integer")
end

for _, bad in ipairs { "", "1", "abc", "1x", ".s", "-", "9999999999h", "1h-1m" } do
	local d, err = time.parse_duration(bad)
	assert(d == nil, bad)
	assert(err:kind() == "Invalid", bad)
	assert(string.find(tostring(err), "invalid duration", 1, true), tostring(err))
end
for _, bad in ipairs { 1.5, {}, true } do
	local d, err = time.parse_duration(bad)
	assert(d == nil and err:kind() == "Invalid")
end

-- Time values.
local a = time.now()
local b = time.now()
assert(b:sub(a) >= 0)
assert(math.type(a:unix()) == "integer")
assert(math.abs(a:unix() - os.time()) <= 2)
assert(a:unix_nano() // time.SECOND == a:unix())
assert(math.type(a:sub(b)) == "integer")

-- format: RFC3339 by default, Go reference layouts otherwise.
local s = a:format()
assert(string.match(s, "^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d"), s)
assert(string.match(s, "Z$") or string.match(s, "[+-]%d%d:%d%d$"), s)
assert(a:format("2006-01-02T15:04:05Z07:00") == s)
local d = os.date("*t", a:unix())
assert(a:format("2006") == string.format("%04d", d.year))
assert(a:format("01/02 15:04:05") == string.format("%02d/%02d %02d:%02d:%02d", d.month, d.day, d.hour, d.min, d.sec))
assert(a:format("1/2") == string.format("%d/%d", d.month, d.day))
local ms = a:format(".000")
assert(string.match(ms, "^%.%d%d%d$"), ms)
assert(tonumber(ms:sub(2)) == (a:unix_nano() % time.SECOND) // time.MILLISECOND)
assert(a:format("literal text") == "literal text")
local months = { "January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December" }
assert(a:format("January") == months[d.month])
assert(a:format("Jan") == months[d.month]:sub(1, 3))
assert(a:format("3PM"):match("^%d+[AP]M$"))
assert(#tostring(a) > 20 and tostring(a):sub(1, 19) == a:format("2006-01-02 15:04:05"))
