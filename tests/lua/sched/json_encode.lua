-- json.encode in an actor: shapes, sorted keys, numbers, escapes, and
-- refusals as nil plus an Invalid error object.
assert(require("json") == json)

local function enc(v)
	local s, err = json.encode(v)
	assert(s ~= nil and err == nil, tostring(err))
	return s
end
local function refused(v, want)
	local s, err = json.encode(v)
	assert(s == nil, s)
	assert(errors.is(err, errors.INVALID), tostring(err))
	assert(err:kind() == "Invalid" and not err:retryable())
	assert(string.find(err, want, 1, true), tostring(err))
end

assert(enc(nil) == "null" and json.encode() == "null")
assert(enc(true) == "true" and enc(false) == "false")
assert(enc("hi") == '"hi"')
assert(enc({}) == "[]")
assert(enc({ 1, "two", { 3 } }) == '[1,"two",[3]]')
assert(enc({ zeta = 1, alpha = { beta = true, Alpha = 0 }, [""] = "" }) ==
    '{"":"","alpha":{"Alpha":0,"beta":true},"zeta":1}')
assert(enc({ [0] = "a", [-1] = "b", [2.5] = "c", [true] = "d" }) ==
    '{"-1":"b","0":"a","2.5":"c","true":"d"}')

-- Integers without a point; integral floats likewise; others shortest.
assert(enc(42) == "42" and enc(-7) == "-7")
assert(enc(math.maxinteger) == "9223372036854775807")
assert(enc(math.mininteger) == "-9223372036854775808")
assert(enc(1.0) == "1" and enc(-0.0) == "0" and enc(2^53) == "9007199254740992")
assert(enc(0.1) == "0.1" and enc(1 / 3) == "0.3333333333333333")
assert(enc(1e300) == "1e+300" and enc(2^63) == "9.223372036854776e+18")

-- Escapes: short forms, \u00XX for other controls, UTF-8 kept.
assert(enc('"\\/') == [["\"\\/"]])
assert(enc("\b\f\n\r\t") == [["\b\f\n\r\t"]])
assert(enc("\0\1\31\127") == '"\\u0000\\u0001\\u001f\127"')
assert(enc("caf\u{e9} \u{1f600}") == '"caf\u{e9} \u{1f600}"')
assert(enc("\u{2028}") == '"\\u2028"')
assert(enc("bad \xff byte") == '"bad \\ufffd byte"')

-- Error objects encode as their message.
assert(enc({ err = errors.new("boom") }) == '{"err":"boom"}')

refused(print, "cannot encode function to JSON")
refused({ co = coroutine.create(print) }, "cannot encode thread to JSON")
refused({ ch = channel.new() }, "cannot encode userdata to JSON")
refused({ t = time.now() }, "cannot encode userdata to JSON")
refused(0 / 0, "NaN or infinity")
refused({ math.huge }, "NaN or infinity")
refused({ 1, nil, 3 }, "sparse array")
refused({ 1, 2, x = 3 }, "mixed-key table")
refused({ [{}] = 1 }, "table key of type table")
refused({ [1.5] = 1, ["1.5"] = 2 }, 'two keys named "1.5"')
local cyc = { a = {} }
cyc.a.back = cyc
refused(cyc, "recursively nested")
local deep = {}
for _ = 2, 129 do deep = { deep } end
refused(deep, "maximum nesting depth")
local shared = { 1 }
assert(enc({ shared, shared }) == "[[1],[1]]")

-- The error object works where strings do.
local _, err = json.encode(print)
assert(string.find(tostring(err), "function") and ("" .. err):find("JSON"))
