#!/bin/bash
# osactor send: a JSON payload from the shell reaches a registered actor, by
# name and by pid, decoded to the same Lua value, from
# {node:control|0x00000}; bad JSON is refused before anything is sent;
# unknown names and dead pids are errors; the last message ends the app.
# On the way, ps escapes an odd registered name in its table and JSON.
. "$(dirname "$0")/lib.sh"

export OSACTOR_RUNTIME_DIR=$T/run
APP=$T/app
cp -R "$TESTS/e2e/apps/control_sink" "$APP" || fail "cannot copy the app"
start_app "$APP" -x t:main
ready() {
	out_line_ends "ready {t:term|0x00001}"
}
wait_for ready || fail "the sink did not start"

ctl() {
	(cd "$APP" && "$OSACTOR" "$@") 2>"$T/ctl.err"
}

# Names are escaped for the table (no spaces, no controls) and for JSON.
ctl ps >"$T/ps" || fail "ps: $(cat "$T/ctl.err")"
names=$(awk 'NR == 2 { print $6 }' "$T/ps")
[[ $names == 'sink,odd\040name\011"名"\134' ]] || fail "ps names: $names"
ctl ps --json >"$T/json" || fail "ps --json: $(cat "$T/ctl.err")"
grep -qF '"names":["sink","odd name\t\"名\"\\"]' "$T/json" ||
	fail "JSON names: $(cat "$T/json")"
from='{node:control|0x00000}'

ctl send sink hello '{"b":true,"a":[1,2.5,"x\u00e9"],"n":null}' ||
	fail "send: $(cat "$T/ctl.err")"
ctl send '{t:term|0x00001}' num ' -42 ' || fail "send by pid: $(cat "$T/ctl.err")"
ctl send sink nothing 'null' || fail "send null: $(cat "$T/ctl.err")"
ctl send sink emoji '"\ud83d\ude00"' || fail "send emoji: $(cat "$T/ctl.err")"
got() {
	out | grep -cF " $from " | grep -qx "$1"
}
wait_for got 4 || fail "not every message arrived"
out | grep -qxF "hello $from table {\"a\":[1,2.5,\"xé\"],\"b\":true}" ||
	fail "the object was not delivered as sent"
out | grep -qxF "num $from integer -42" || fail "integer payload"
out | grep -qxF "nothing $from nil null" || fail "null payload"
out | grep -qxF "emoji $from string \"😀\"" || fail "surrogate pair"

# Refused by the client: nothing reaches the actor.
for bad in '{"a":1' '[1,]' '01' '"\ud800"' "$(printf '"\001"')" '1e999' \
    '{} x' ''; do
	ctl send sink bad "$bad"
	st=$?
	[[ $st == 64 ]] || fail "send '$bad': status $st, want 64"
	grep -q "invalid JSON" "$T/ctl.err" || fail "send '$bad': $(cat "$T/ctl.err")"
done
ctl send sink 2>/dev/null
[[ $? == 64 ]] || fail "send without a payload: want 64"

# Refused by the app.
ctl send nobody t 1
[[ $? == 1 ]] || fail "send to an unknown name: want 1"
grep -qF "could not resolve 'nobody' as PID or registered name" "$T/ctl.err" ||
	fail "unknown name: $(cat "$T/ctl.err")"
ctl send '{t:term|0x00009}' t 1
[[ $? == 1 ]] || fail "send to a dead pid: want 1"
grep -qF "process not found" "$T/ctl.err" || fail "dead pid: $(cat "$T/ctl.err")"
out | grep -q "^bad " && fail "a refused message was delivered"

ctl send sink quit 7 || fail "send quit: $(cat "$T/ctl.err")"
wait_exit "$SUP"
[[ $STATUS == 7 ]] || fail "exit status $STATUS, want 7 (the quit payload)"
check_no_leftovers
