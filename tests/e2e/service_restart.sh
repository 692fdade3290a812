#!/bin/bash
# A crash loop: restarts follow the back-off policy (never earlier than
# the delay), past max_attempts the service is failed, the app runs on,
# and SIGTERM then stops it with status 0.
. "$(dirname "$0")/lib.sh"

app=$TESTS/e2e/apps/crash_loop
"$OSACTOR" run -v -W "$OSACTOR_SHIM" -d "$app" </dev/null >"$T/out" 2>"$T/err" &
SUP=$!
SUPS+=("$SUP")
track "$SUP"

failed_logged() {
	grep -q "service t:crasher: failed after 3 attempts" "$T/err"
}
wait_for failed_logged || fail "the service was not marked failed"
running "$SUP" || fail "the supervisor did not run on"
(( $(grep -c "service t:crasher started" "$T/err") == 4 )) ||
	fail "want 4 starts (1 + 3 restarts)"

# ms since midnight of a log line's time stamp
ms() {
	local t=${1:11:12} h m s
	IFS=: read -r h m s <<<"$t"
	s=${s/./}
	echo $(( (10#$h * 3600 + 10#$m * 60) * 1000 + 10#$s ))
}
mapfile -t exits < <(grep "exited (error)" "$T/err")
mapfile -t starts < <(grep "service t:crasher started" "$T/err")
want=(50 100 200)
for i in 0 1 2; do
	gap=$(( $(ms "${starts[i + 1]}") - $(ms "${exits[i]}") ))
	(( gap >= want[i] - 1 )) ||
		fail "restart $((i + 1)) after $gap ms, policy says ${want[i]} ms"
done
grep -q "restarting in 0.050 s (attempt 1)" "$T/err" || fail "no attempt 1"
grep -q "restarting in 0.200 s (attempt 3)" "$T/err" || fail "no attempt 3"

kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS after SIGTERM, want 0"
check_no_leftovers
