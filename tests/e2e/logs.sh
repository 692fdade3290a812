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

# Every line is JSON as a strict decoder (the shim's own) reads it, with
# time, level, entry, msg, and pid and fields where they apply; bytes that
# are not UTF-8 come out as U+FFFD, the rest of the message as it was.
bytes=$TESTS/e2e/apps/log_bytes
check_jsonl() {
	"$OSACTOR_SHIM" --test "$TESTS/e2e/apps/jsonl_check.lua" <"$1" \
	    >"$T/records" 2>"$T/check.err" ||
		fail "$1 is not JSON lines: $(tail -3 "$T/check.err")"
}
check_jsonl "$log"
check_jsonl "$log.1"
grep -q '^ERROR t:crash {t:procs|0x0000[0-9a-f]} - "crash.lua:1: crashed on purpose' \
    "$T/records" || fail "no crash record: $(head -5 "$T/records")"
"$OSACTOR" run -v -W "$OSACTOR_SHIM" -d "$bytes" -x t:main --log-format json \
    </dev/null >/dev/null 2>"$T/bytes.json" || fail "log_bytes failed"
check_jsonl "$T/bytes.json"
u=$'\xef\xbf\xbd' e=$'\xc3\xa9'
want="INFO t:main {t:term|0x00001} - \"bad $u$u, tab\\9here, nl\\10end, \\1, $e\" f=\"x${u}y\" g=\"a\\9b\" h=\"$e\""
grep -qxF "$want" "$T/records" ||
	fail "record of bytes: $(grep t:main "$T/records" | head -1), want $want"
grep -qxF 'WARN t:main {t:term|0x00001} sub "named" ' "$T/records" ||
	fail "no named logger record: $(cat "$T/records")"

# Text: a tab as a tab, a newline as \n, other control bytes and bytes
# that are not UTF-8 as \xNN, UTF-8 as it is.
"$OSACTOR" run -v -W "$OSACTOR_SHIM" -d "$bytes" -x t:main </dev/null \
    >/dev/null 2>"$T/bytes.txt" || fail "log_bytes (text) failed"
want=$'bad \\xff\\xfe, tab\there, nl\\nend, \\x01, \xc3\xa9 f="x\\ufffdy" g="a\\tb" h="\xc3\xa9"'
grep -qF " INFO  t:main {t:term|0x00001} $want" "$T/bytes.txt" ||
	fail "text record: $(grep -a t:main "$T/bytes.txt" | head -1 | cat -A)"

# text to a file: no escape codes
"$OSACTOR" run -W "$OSACTOR_SHIM" -d "$TESTS/apps/status_number" -v \
    -x t:main </dev/null 2>"$T/text.log" >/dev/null
grep -q ' INFO  osactor ' "$T/text.log" || fail "no text log line"
! grep -q $'\033' "$T/text.log" || fail "colour in a log that is no terminal"
check_no_leftovers
