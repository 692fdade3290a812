#!/bin/bash
# Case 41, payload-size: the largest string process.send takes (found by
# bisection) arrives whole, as does one a byte shorter; one byte more, and
# a 64 MiB string, are refused at the sender with "message larger than";
# the actor's connection stays usable after each refusal.
. "$(dirname "$0")/lib.sh"

fault_app '
local function fits(n)
    local ok, err = pcall(process.send, process.pid(), "big", string.rep("a", n))
    if ok then return true end
    assert(tostring(err):find("message larger than", 1, true), tostring(err))
    return false
end
local function case()
    local inbox = process.inbox()
    local lo, hi = 0, 16 << 20          -- fits(lo), not fits(hi)
    assert(not fits(hi))
    while hi - lo > 1 do
        local mid = (lo + hi) // 2
        if fits(mid) then
            lo = mid
            assert(#inbox:receive():payload():data() == mid)
        else hi = mid end
    end
    local max = lo
    io.print("max " .. (max > (16 << 20) - 8192 and "near 16 MiB" or max))
    for _, n in ipairs({ max - 1, max }) do
        assert(fits(n), n)
        local s = inbox:receive():payload():data()
        io.print(n - max .. " arrived " .. tostring(#s == n and s == string.rep("a", n)))
    end
    io.print("max+1 refused " .. tostring(not fits(max + 1)))
    io.print("64 MiB refused " .. tostring(not fits(64 << 20)))
    assert(process.send(process.pid(), "small", 7))
    io.print("still usable " .. tostring(inbox:receive():payload():data() == 7))
end'
start_fault
wait_done 30
for want in "max near 16 MiB" "-1 arrived true" "0 arrived true" \
    "max+1 refused true" "64 MiB refused true" "still usable true"; do
	out_has "$want" || fail "want '$want': $(tr '\n' ';' <"$T/out")"
done
finish_fault
