#!/bin/bash
# A broken app is refused before any actor starts: bad YAML, a missing source
# file, a Lua syntax error, an unknown -x entry.  Each exits 78 at once with
# "file:line:column: message" naming the file and line (the spec, for -x),
# and leaves no process; `osactor check` reports the same.
. "$(dirname "$0")/lib.sh"

# app NAME: a valid app in $T/NAME whose t:main returns 7; the cases below
# break one thing in a copy of it.
app() {
	mkdir "$T/$1" || fail "mkdir"
	cat >"$T/$1/_index.yaml" <<'YAML'
version: "1.0"
namespace: t

entries:
  - name: terminal
    kind: terminal.host
    lifecycle:
      auto_start: true

  - name: main
    kind: process.lua
    source: file://main.lua
    method: main
YAML
	cat >"$T/$1/main.lua" <<'LUA'
-- t:main of the bad_input test
local function main()
    local x = 7
    return x
end
return { main = main }
LUA
}

# osactor_in DIR COMMAND ARGS...: run osactor COMMAND -d DIR ARGS... from
# $T/cwd (the marker of this test's processes), bounded; sets STATUS, $T/out
# and $T/err.
mkdir "$T/cwd" || fail "mkdir"
osactor_in() {
	local dir=$1 cmd=$2
	shift 2
	(cd "$T/cwd" && timeout 10 "$OSACTOR" "$cmd" -d "$dir" "$@" \
	    </dev/null >"$T/out" 2>"$T/err")
	STATUS=$?
	[[ $STATUS != 124 ]] || fail "osactor $cmd -d $dir $* hangs"
}

# refused DIR PATTERN [SPEC]: run and check both refuse DIR with exit 78 and
# a stderr line matching the extended regex PATTERN.
refused() {
	osactor_in "$1" run -W "$OSACTOR_SHIM" -x "${3:-t:main}"
	[[ $STATUS == 78 ]] || fail "${1##*/}: run exits $STATUS, want 78"
	grep -qE -- "$2" "$T/err" ||
		fail "${1##*/}: run stderr does not match '$2': $(cat "$T/err")"
	check_no_leftovers
	[[ -n ${3-} ]] && return
	osactor_in "$1" check
	[[ $STATUS == 78 ]] || fail "${1##*/}: check exits $STATUS, want 78"
	grep -qE -- "$2" "$T/err" ||
		fail "${1##*/}: check stderr does not match '$2': $(cat "$T/err")"
}

# The fixture itself is sound, so each refusal below is for its one defect.
app good
osactor_in "$T/good" check
[[ $STATUS == 0 ]] || fail "check of the valid app exits $STATUS: $(cat "$T/err")"
osactor_in "$T/good" run -W "$OSACTOR_SHIM" -x t:main
[[ $STATUS == 7 ]] || fail "the valid app exits $STATUS, want 7: $(cat "$T/err")"

app yaml
sed -i 's/^    kind: process.lua$/    kind: process.lua: x/' "$T/yaml/_index.yaml"
refused "$T/yaml" '_index\.yaml:11:[0-9]+: '

app missing
sed -i 's|file://main.lua|file://nope.lua|' "$T/missing/_index.yaml"
refused "$T/missing" '_index\.yaml:12:[0-9]+: .*nope\.lua'

app lua
sed -i 's/local x = 7/local x = = 7/' "$T/lua/main.lua"
# the path as the yaml files' are shown, the column of the second '='
refused "$T/lua" "^$T/lua/main\\.lua:3:15: unexpected symbol near '='"

app entry
refused "$T/entry" 't:nosuch' t:nosuch
refused "$T/entry" 'nosuch' nosuch
