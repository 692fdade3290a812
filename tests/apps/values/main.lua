-- Values keep their exact type and bits across the process boundary.
local function main()
    local events = process.events()
    local child = assert(process.spawn_monitored("t:child", "t:procs", process.pid()))
    local sent = {
        i = 42, f = 42.0, neg = -0.0, big = math.maxinteger, small = math.mininteger,
        inf = math.huge, ninf = -math.huge, s = "a\0b\255", empty = {},
        nested = { { { { "deep" } } } }, arr = { 1, 2, 3 }, t = true, fl = false,
        [1] = "one", [2.5] = "two and a half",
    }
    assert(process.send(child, "echo", sent, 0/0, nil, "last"))
    local msg = process.inbox():receive()
    assert(msg:topic() == "echoed" and msg:from() == child)
    local p = msg:payload()
    assert(type(p) == "table" and #p == 4, "an array of four payloads")
    assert(type(p[1]) == "userdata", "a Payload is opaque, as in Wippy")
    local v = p[1]:data()
    assert(math.type(v.i) == "integer" and v.i == 42)
    assert(math.type(v.f) == "float" and v.f == 42.0)
    assert(1 / v.neg == -math.huge, "negative zero")
    assert(v.big == math.maxinteger and v.small == math.mininteger)
    assert(v.inf == math.huge and v.ninf == -math.huge)
    assert(v.s == "a\0b\255" and #v.s == 4)
    assert(next(v.empty) == nil)
    assert(v.nested[1][1][1][1] == "deep")
    assert(#v.arr == 3 and v.arr[3] == 3)
    assert(v.t == true and v.fl == false)
    assert(v[1] == "one" and v[2.5] == "two and a half")
    local nan = p[2]:data()
    assert(nan ~= nan, "NaN")
    assert(p[3]:data() == nil)
    assert(p[4]:data() == "last" and p[4]:get_format() == "lua/any")
    assert(events:receive().from == child)
    assert(process.send(process.pid(), "one", { 7 }))
    assert(process.send(process.pid(), "none"))
    local one = process.inbox():receive():payload()
    assert(type(one) == "userdata" and one:data()[1] == 7, "one Payload")
    assert(not pcall(one.data, {}), "data() of anything but a Payload")
    assert(process.inbox():receive():payload() == nil, "no payload: nil")
    return 0
end

return { main = main }
