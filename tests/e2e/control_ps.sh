#!/bin/bash
# osactor ps on the tutorial: one row per actor (the relay with its name and
# service, the CLI), as a table and as JSON; the control socket sits in the
# default folder for this user, mode 0600 in a 0700 folder, and is gone
# once the app has exited.
. "$(dirname "$0")/lib.sh"

# The default place, not a test folder: this is what users get.
unset OSACTOR_RUNTIME_DIR
if [[ $(id -u) == 0 ]]; then
	rundir=/run/osactor
elif [[ ${XDG_RUNTIME_DIR-} == /* ]]; then
	rundir=$XDG_RUNTIME_DIR/osactor
else
	rundir=/tmp/osactor-$(id -u)
fi

start_seed
actor_pid "$SUP" "$RELAY_TITLE" || fail "no relay"
relay=$PID
actor_pid "$SUP" "$CLI_TITLE" || fail "no CLI"
cli=$PID

# The supervisor holds the app's lock file open; the socket is next to it.
lock=""
for f in /proc/"$SUP"/fd/*; do
	l=$(readlink "$f") || continue
	[[ $l == "$rundir"/app-*.lock ]] && lock=$l
done
[[ -n $lock ]] || fail "the supervisor holds no lock file in $rundir"
sock=${lock%.lock}.sock
[[ ${sock##*/} =~ ^app-[0-9a-f]{16}\.sock$ ]] || fail "socket name ${sock##*/}"
[[ -S $sock ]] || fail "no socket $sock"
[[ $(stat -c %a "$sock") == 600 ]] || fail "socket mode $(stat -c %a "$sock")"
[[ $(stat -c %a "$rundir") == 700 ]] || fail "$rundir mode $(stat -c %a "$rundir")"
[[ $(stat -c %u "$rundir") == $(id -u) ]] || fail "$rundir not ours"

# The table: a header, then the relay and the CLI in actor id order, then
# the app's dead letters (none yet).
(cd "$APP" && "$OSACTOR" ps) >"$T/ps" 2>"$T/ps.err" ||
	fail "ps failed: $(cat "$T/ps.err")"
read -r -a head <"$T/ps"
[[ ${head[*]} == "PID OSPID ENTRY HOST SERVICE NAMES STATE QUEUED RSS CPU UPTIME RESTARTS" ]] ||
	fail "ps header: ${head[*]}"
[[ $(wc -l <"$T/ps") == 4 ]] || fail "ps rows: $(cat "$T/ps")"
[[ $(tail -n 1 "$T/ps") == "dead letters: 0" ]] || fail "ps summary: $(cat "$T/ps")"
read -r -a r <<<"$(sed -n 2p "$T/ps")"
[[ ${r[0]} == '{app:processes|0x00002}' && ${r[1]} == "$relay" &&
    ${r[2]} == app:relay && ${r[3]} == app:processes &&
    ${r[4]} == app:relay-service && ${r[5]} == relay &&
    ${r[6]} == running && ${r[11]} == 0 ]] || fail "relay row: ${r[*]}"
[[ ${r[8]} =~ ^[0-9.]+[KMG]?$ && ${r[9]} =~ ^[0-9]+\.[0-9]{2}s$ &&
    ${r[10]} =~ ^[0-9]+s$ ]] || fail "relay RSS, CPU, uptime: ${r[*]}"
read -r -a r <<<"$(sed -n 3p "$T/ps")"
[[ ${r[0]} == '{app:terminal|0x00003}' && ${r[1]} == "$cli" &&
    ${r[2]} == app:cli && ${r[4]} == - && ${r[5]} == - ]] ||
	fail "CLI row: ${r[*]}"
# Aligned: every row's STATE column starts where the header's does.
col=$(head -n 1 "$T/ps" | awk '{ print index($0, "STATE") }')
while IFS= read -r line; do
	[[ ${line:col-1:5} == STATE || ${line:col-1:7} == running ]] ||
		fail "columns not aligned: $line"
done < <(head -n 3 "$T/ps")

# JSON (-d from elsewhere): an array of one object per line; no jq needed.
"$OSACTOR" ps -d "$APP" --json >"$T/json" 2>"$T/ps.err" ||
	fail "ps --json failed: $(cat "$T/ps.err")"
[[ $(head -n 1 "$T/json") == "[" && $(tail -n 1 "$T/json") == "]" &&
    $(wc -l <"$T/json") == 4 ]] || fail "ps --json shape: $(cat "$T/json")"
relay_json=$(sed -n 2p "$T/json")
want='^\{"pid":"\{app:processes\|0x00002\}","os_pid":'$relay',"entry":"app:relay","host":"app:processes","service":"app:relay-service","names":\["relay"\],"state":"running","queued":0,"rss_bytes":[1-9][0-9]*,"cpu_seconds":[0-9]+\.[0-9]{3},"uptime_seconds":[0-9]+\.[0-9]{3},"restarts":0,"delivered":0,"taken":0\},$'
[[ $relay_json =~ $want ]] || fail "relay JSON: $relay_json"
cli_json=$(sed -n 3p "$T/json")
want='^\{"pid":"\{app:terminal\|0x00003\}","os_pid":'$cli',"entry":"app:cli","host":"app:terminal","service":null,"names":\[\],"state":"running",.*\}$'
[[ $cli_json =~ $want ]] || fail "CLI JSON: $cli_json"
if command -v jq >/dev/null; then
	[[ $(jq -r '.[0].names[0]' "$T/json") == relay ]] || fail "jq reads it wrong"
fi

# Usage errors exit 64; no app in a folder exits 69.
"$OSACTOR" ps extra 2>/dev/null
[[ $? == 64 ]] || fail "ps with an operand: want 64"
"$OSACTOR" start --json x 2>/dev/null
[[ $? == 64 ]] || fail "--json on start: want 64"
mkdir "$T/empty"
"$OSACTOR" ps -d "$T/empty" 2>"$T/ps.err"
st=$?
[[ $st == 69 ]] || fail "ps in a folder with no app: status $st, want 69"
grep -q "no app running in $T/empty" "$T/ps.err" || fail "message: $(cat "$T/ps.err")"

close_stdin
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS, want 0"
[[ ! -e $sock && ! -e $lock ]] || fail "socket or lock left behind"
"$OSACTOR" ps -d "$APP" 2>/dev/null
[[ $? == 69 ]] || fail "ps after exit: want 69"
check_no_leftovers
