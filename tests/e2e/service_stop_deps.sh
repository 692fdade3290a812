#!/bin/bash
# osactor stop SERVICE stops the services that require it first, one at a
# time in reverse dependency order (a requires b, b requires c): stopping
# t:b stops t:a, then t:b, and leaves t:c running; stopping t:c then stops
# it alone.  start starts only the service named; restart of t:c stops
# a, b, c in that order and starts c, b, a again, each a new actor.  Each
# service logs, on its CANCEL, which others are still registered.
. "$(dirname "$0")/lib.sh"

app=$TESTS/e2e/apps/service_order
start_app "$app" -v
# states: set ST to "a:STATE b:STATE c:STATE" from ps.  An actor's row
# says "running" from its spawn on, before its main has opened events():
# a CANCEL then stops it at once, unseen (osactor-lua(7), Shutdown).  It
# is up only once it has registered its name, which svc.lua does after
# opening events(); until then ST shows it "unregistered".
states() {
	ST=$("$OSACTOR" ps -d "$app" 2>/dev/null |
	    awk '$5 ~ /^t:[abc]$/ { n = substr($5, 3); s = $7
		if (s == "running" && $6 != n) s = "unregistered"
		print n ":" s }' | sort | tr '\n' ' ')
	[[ $ST == "$1" ]]
}
pids() {
	"$OSACTOR" ps -d "$app" | awk '$5 ~ /^t:[abc]$/ { print $1 }' | sort
}
# ctl CMD SERVICE: osactor CMD -d APP SERVICE, which must succeed.
ctl() {
	"$OSACTOR" "$1" -d "$app" "$2" 2>"$T/ctl.err" ||
		fail "osactor $*: $(cat "$T/ctl.err")"
}
# seen [LINE]: what each service saw at its CANCEL, in the order they
# came, from line LINE of the log on; started [LINE]: the order of starts.
seen() {
	tail -n +"${1:-1}" "$T/err" |
	    sed -n 's/.* cancelled alive="\([a-c-]*\)" name="\([abc]\)".*/\2:\1/p' |
	    tr '\n' ' '
}
started() {
	tail -n +"${1:-1}" "$T/err" |
	    sed -n 's/.* service t:\([abc]\) started.*/\1/p' | tr -d '\n'
}
wait_for states "a:running b:running c:running " || fail "not up: $ST"

ctl stop t:b
wait_for states "a:stopped b:stopped c:running " ||
	fail "after stop t:b: $ST"
[[ $(seen) == "a:bc b:c " ]] || fail "stop t:b: the CANCELs saw '$(seen)'"
running "$SUP" || fail "the supervisor exited"

ctl stop t:c
wait_for states "a:stopped b:stopped c:stopped " || fail "after stop t:c: $ST"
[[ $(seen) == "a:bc b:c c:- " ]] || fail "stop t:c: the CANCELs saw '$(seen)'"

ctl start t:c
wait_for states "a:stopped b:stopped c:running " || fail "after start t:c: $ST"
ctl start t:b
ctl start t:a
wait_for states "a:running b:running c:running " || fail "after start: $ST"
before=$(pids)
n=$(wc -l <"$T/err")
ctl restart t:c
again() { states "a:running b:running c:running " && [[ $(pids) != "$before" ]]; }
wait_for again || fail "after restart t:c: $ST"
for p in $(pids); do
	grep -qxF "$p" <<<"$before" && fail "restart t:c: $p still runs"
done
[[ $(seen $((n + 1))) == "a:bc b:c c:- " ]] ||
	fail "restart t:c: the CANCELs saw '$(seen $((n + 1)))'"
[[ $(started $((n + 1))) == cba ]] ||
	fail "restart t:c: start order $(started $((n + 1))), want cba"
kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
check_no_leftovers
