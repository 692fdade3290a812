-- json.decode in an actor: RFC 8259 values, nulls, numbers, and malformed
-- input as nil plus an Invalid error object that says where.
local function dec(s)
	local v, err = json.decode(s)
	assert(err == nil, tostring(err))
	return v
end
local function bad(s, want)
	local v, err = json.decode(s)
	assert(v == nil, s)
	assert(errors.is(err, errors.INVALID), tostring(err))
	assert(string.find(err:message(), want, 1, true),
	    string.format("%q: %s", s, tostring(err)))
end

local v = dec(' {"name": "osactor", "tags": ["a", "b"], "n": {"x": [1, 2.5, -3e2]}, "ok": true} ')
assert(v.name == "osactor" and v.tags[2] == "b" and #v.tags == 2 and v.ok == true)
assert(v.n.x[1] == 1 and math.type(v.n.x[1]) == "integer")
assert(v.n.x[2] == 2.5 and v.n.x[3] == -300.0 and math.type(v.n.x[3]) == "float")
assert(getmetatable(v) == nil)

-- Integers that fit int64 stay integers; everything else is a float.
assert(math.type(dec("9223372036854775807")) == "integer")
assert(dec("-9223372036854775808") == math.mininteger)
assert(math.type(dec("9223372036854775808")) == "float")
assert(math.type(dec("1.0")) == "float" and math.type(dec("1e2")) == "float")

-- null: nil at top, absent member, a hole that keeps later indexes.
local n, err = json.decode("null")
assert(n == nil and err == nil)
assert(next(dec('{"a": null}')) == nil)
local arr = dec("[null, 2, null, 4]")
assert(arr[1] == nil and arr[2] == 2 and arr[3] == nil and arr[4] == 4)
assert(dec('{"k": 1, "k": 2}').k == 2)

-- Escapes and surrogate pairs become UTF-8.
assert(dec([["\"\\\/\b\f\n\r\t"]]) == '"\\/\b\f\n\r\t')
assert(dec([["\u00e9\u20AC\ud83d\ude00\u0000"]]) == "\u{e9}\u{20ac}\u{1f600}\0")

bad("", "empty string is not valid JSON")
bad("   ", "unexpected end of input at 1:4")
bad("[1, 2,]", "trailing comma at 1:7")
bad('{"a": 1,}', "trailing comma at 1:9")
bad("[01]", "leading zero in number at 1:2")
bad('"\\ud800"', "lone high surrogate \\ud800 at 1:2")
bad('"\\udc00"', "lone low surrogate")
bad('"\\q"', "invalid escape in string at 1:2")
bad('"tab\there"', "control character in string at 1:5")
bad('"\xc3"', "invalid UTF-8 in string")
bad("{\n  \"a\": [1,\n    oops]\n}", "unexpected character 'o' at 3:5")
bad("[1] x", "after JSON value at 1:5")
bad("tru", "unexpected end of input in literal")
bad("1e400", "number out of range")
bad(string.rep("[", 129) .. string.rep("]", 129), "nesting deeper than 128 at 1:129")
bad(string.rep("[", 10000), "nesting deeper than 128")
assert(dec(string.rep("[", 128) .. string.rep("]", 128)))
for _, arg in ipairs { 42, true, {} } do
	local r, e = json.decode(arg)
	assert(r == nil and e:kind() == "Invalid" and string.find(e, "string expected"))
end
