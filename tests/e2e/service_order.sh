#!/bin/bash
# Services start in dependency order (c, then b, then a, whatever order the
# app lists them in), each only once those it requires are running, all
# before the -x actor; at shutdown they stop in the reverse order.
. "$(dirname "$0")/lib.sh"

app=$TESTS/e2e/apps/service_order
timeout 20 "$OSACTOR" run -v -W "$OSACTOR_SHIM" -d "$app" -x t:main \
    </dev/null >"$T/out" 2>"$T/err" || fail "exit status $?: $(tail -3 "$T/err")"

order() {
	sed -n "s/.* service t:\\([abc]\\):\\{0,1\\} $1.*/\\1/p" "$T/err" |
	    tr -d '\n'
}
[[ $(order started) == cba ]] || fail "start order $(order started), want cba"
[[ $(order stopped) == abc ]] || fail "stop order $(order stopped), want abc"
check_no_leftovers
