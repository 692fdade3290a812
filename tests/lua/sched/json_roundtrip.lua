-- Values survive encode then decode, and decode then encode gives the
-- same text back; also across a channel between coroutines.
local function same(a, b)
	if type(a) ~= type(b) then return false end
	if type(a) ~= "table" then
		return a == b and math.type(a) == math.type(b)
	end
	for k, x in pairs(a) do if not same(x, b[k]) then return false end end
	for k in pairs(b) do if a[k] == nil then return false end end
	return true
end

local values = {
	0, -1, math.maxinteger, 0.5, -1.25e-10, 1e300, "", "text",
	"caf\u{e9}\n\t\"\\\u{1f600}\0", {}, { 1, 2, 3 }, { { {} } },
	{ user = { id = 7, name = "ann", roles = { "admin", "ops" } }, ok = false },
	{ ["with space"] = { ["\u{2603}"] = { 0.25, { deep = { true } } } } },
}
for i, v in ipairs(values) do
	local s = assert(json.encode(v))
	local back, err = json.decode(s)
	assert(err == nil and same(v, back), "value " .. i .. ": " .. s)
	assert(json.encode(back) == s)
end

for _, s in ipairs {
	'{"a":[1,2,{"b":null}],"c":"d"}', "[[],{}]", '"\\u0001"', "[1.5,-2,true]",
} do
	local v = json.decode(s)
	local again = json.encode(v)
	assert(json.decode(again) ~= nil and json.encode(json.decode(again)) == again)
end

-- A big document, built and parsed inside one actor.
local big = {}
for i = 1, 5000 do big[i] = { id = i, name = "item" .. i, score = i + 0.25 } end
local text = assert(json.encode(big))
assert(same(json.decode(text), big))

-- JSON text is an ordinary string: it crosses a channel unchanged.
local ch = channel.new()
coroutine.spawn(function() ch:send(json.encode({ hello = "world", n = 3 })) end)
local got = ch:receive()
assert(got == '{"hello":"world","n":3}')
assert(json.decode(got).n == 3)

-- An integral float is written without a point (as Wippy does), so it
-- comes back as an integer of the same value.
local two = json.decode(json.encode(2.0))
assert(two == 2 and math.type(two) == "integer")
