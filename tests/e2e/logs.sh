#!/bin/bash
# --log-format json --log-file: one JSON object per line, from the
# supervisor and from actors (with their entry, pid, message and fields);
# SIGHUP reopens the file after it was moved away; text logs carry no
# colour when they do not go to a terminal.
. "$(dirname "$0")/lib.sh"

app=$TESTS/e2e/apps/crash_loop
log=$T/app.log
"$OSACTOR" run -v -W "$OSACTOR_SHIM" -d "$app" --log-format json \
    --log-file "$log" </dev/null >"$T/out" 2>"$T/err" &
SUP=$!
SUPS+=("$SUP")
track "$SUP"
failed_logged() {
	grep -qsF '"msg":"service t:crasher: failed after 4 attempts; last '\
'error: crash.lua:1: crashed on purpose"' "$log"
}
wait_for failed_logged || fail "no failure in the JSON log: $(tail -3 "$log")"
[[ ! -s $T/err ]] || fail "stderr is not empty: $(head -3 "$T/err")"
while IFS= read -r line; do
	[[ $line == '{"time":"'*'","level":"'*'","entry":"'*',"msg":"'*'}' ]] ||
		fail "not a JSON log line: $line"
done <"$log"
grep -q '"entry":"t:crash","pid":"{t:procs|0x0000[0-9a-f]}","msg":"crash.lua:1: crashed on purpose' \
    "$log" || fail "no actor record with entry and pid"

mv "$log" "$log.1"
kill -HUP "$SUP"
reopened() { grep -q '"msg":"SIGHUP: log reopened"' "$log" 2>/dev/null; }
wait_for reopened || fail "SIGHUP did not reopen the log"
kill -TERM "$SUP"
wait_exit "$SUP"
[[ $STATUS == 0 ]] || fail "exit status $STATUS"

# text to a file: no escape codes
"$OSACTOR" run -W "$OSACTOR_SHIM" -d "$TESTS/apps/status_number" -v \
    -x t:main </dev/null 2>"$T/text.log" >/dev/null
grep -q ' INFO  osactor ' "$T/text.log" || fail "no text log line"
! grep -q $'\033' "$T/text.log" || fail "colour in a log that is no terminal"
check_no_leftovers
