#!/bin/bash
# requires is met by a dependency that is done: the one-shot t:init
# returns before it ever waits, t:user (which requires it) then starts, and
# t:init, a normal exit, is never restarted, though the app runs on past
# its restart delay.  A dependency that fails for good (t:crasher) fails
# its dependents without starting them, each logged with the one it
# waited for, down the chain (t:orphan, then t:orphan2); ps shows the
# states.  Under -x the -x actor then starts without waiting for them.
. "$(dirname "$0")/lib.sh"

app=$TESTS/e2e/apps/oneshot
run_bg "$app"
chain="service t:orphan2: not started: requires t:orphan, which failed"
chain_failed() { grep -qsF "$chain" "$T/err"; }
wait_for chain_failed || fail "t:orphan2 not failed: $(grep orphan "$T/err")"
grep -qF "service t:orphan: not started: requires t:crasher, which failed" \
    "$T/err" || fail "t:orphan not failed naming t:crasher"
! grep -q "service t:orphan2\{0,1\} started" "$T/err" || fail "an orphan started"

# t:init: one start, one normal exit, and the crasher's 300 ms of back-off
# since then would have covered its 100 ms restart delay.
(( $(grep -c "service t:init started" "$T/err") == 1 )) ||
	fail "t:init was restarted after a normal exit"
done_line=$(first_line "service t:init: exited normally") ||
	fail "t:init did not exit normally"
gave_up=$(first_line "service t:crasher: failed after 2 attempts") ||
	fail "t:crasher not failed"
gap=$(gap_ms "$done_line" "$gave_up")
(( gap >= 250 )) || fail "only $gap ms watched after t:init exited"
line_of() { grep -n -m1 -F "$1" "$T/err" | cut -d: -f1; }
(( $(line_of "service t:init: exited normally") <
    $(line_of "service t:user started") )) ||
	fail "t:user started before t:init was done"

# ps: the service slots with their states.
state_of() {
	"$OSACTOR" ps -d "$app" | awk -v s="$1" '$5 == s { print $7 }'
}
[[ $(state_of t:init) == done ]] || fail "t:init is $(state_of t:init) in ps"
[[ $(state_of t:orphan) == failed ]] || fail "t:orphan is $(state_of t:orphan)"
[[ $(state_of t:user) == running ]] || fail "t:user is $(state_of t:user)"
kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers

timeout 20 "$OSACTOR" run -v -W "$OSACTOR_SHIM" -d "$app" -x t:main \
    </dev/null >"$T/out" 2>"$T/err" || fail "-x: exit status $?"
! grep -q "not ready after" "$T/err" || fail "-x waited for the orphans"
check_no_leftovers
