#!/bin/bash
# make install into a temporary DESTDIR gives an osactor that finds its
# shim and runs the tutorial; make uninstall takes it all away again.
. "$(dirname "$0")/lib.sh"

root=$(cd "$TESTS/.." && pwd)
make -s -C "$root" B="$B" install DESTDIR="$T/dest" PREFIX=/opt/osactor \
    >"$T/install.log" 2>&1 || fail "make install: $(tail -3 "$T/install.log")"
bin=$T/dest/opt/osactor/bin/osactor
[[ -x $bin ]] || fail "no $bin"
[[ -x $T/dest/opt/osactor/libexec/osactor/osactor-shim ]] || fail "no shim"
[[ -f $T/dest/opt/osactor/share/man/man1/osactor.1 ]] || fail "no man page"

seed_app
out=$(cd "$APP" && printf 'installed\n\n' |
    env -u OSACTOR_SHIM timeout 20 "$bin" run -x app:terminal/app:cli) ||
	fail "the installed osactor failed"
grep -q "  INSTALLED" <<<"$out" || fail "no echo from the installed osactor"

make -s -C "$root" B="$B" uninstall DESTDIR="$T/dest" PREFIX=/opt/osactor \
    >>"$T/install.log" 2>&1 || fail "make uninstall"
[[ -z $(find "$T/dest" -type f) ]] || fail "uninstall left $(find "$T/dest" -type f)"
check_no_leftovers
