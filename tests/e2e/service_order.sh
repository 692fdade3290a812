#!/bin/bash
# Services start in dependency order (c, then b, then a; the app lists them
# b, c, a), each only once those it requires are running, all before the
# -x actor.  At shutdown they stop one at a time in the reverse order: each
# service, on its CANCEL, logs which others are still registered and takes
# 150 ms to stop, so a CANCEL to all at once, or in the file's order, shows.
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
# What each saw at its CANCEL, in the order the CANCELs came.
seen=$(sed -n 's/.* cancelled alive="\([a-c-]*\)" name="\([abc]\)".*/\2:\1/p' \
    "$T/err" | tr '\n' ' ')
[[ $seen == "a:bc b:c c:- " ]] ||
	fail "at their CANCELs the services saw '$seen', want 'a:bc b:c c:- '"
# Each CANCEL went out only once the one before had stopped.
line_of() { grep -n -m1 -F "$1" "$T/err" | cut -d: -f1; }
for p in a:b b:c; do
	before=$(line_of "service t:${p%:*}: stopped")
	after=$(line_of "service t:${p#*:}: stopping")
	[[ -n $before && -n $after ]] && (( before < after )) ||
		fail "t:${p#*:} was stopping before t:${p%:*} had stopped"
done
check_no_leftovers
