#!/bin/bash
# make install into a temporary DESTDIR gives an osactor that finds its
# shim and runs the tutorial; make uninstall takes it all away again.
. "$(dirname "$0")/lib.sh"

root=$(cd "$TESTS/.." && pwd)
# A copy of the suite's build (times kept, so nothing else is rebuilt):
# installing with other paths must not change the binaries under test.
cp -a "$B" "$T/build" && rm -rf "$T/build/test-logs" || fail "cp $B"
B=$T/build

# A LIBEXECDIR other than the one the build was made with: the osactor
# installed must have the new shim path compiled in, not the stale one.
inst=$T/inst
make -s -C "$root" B="$B" install PREFIX="$inst/usr" \
    LIBEXECDIR="$inst/lib/osactor-x" >"$T/install.log" 2>&1 ||
	fail "make install LIBEXECDIR=: $(tail -3 "$T/install.log")"
[[ -x $inst/lib/osactor-x/osactor-shim ]] || fail "no shim in LIBEXECDIR"
grep -qF "$inst/lib/osactor-x/osactor-shim" "$inst/usr/bin/osactor" ||
	fail "the installed osactor has a stale shim path compiled in"
seed_app
out=$(cd "$APP" && printf 'libexec\n\n' |
    env -u OSACTOR_SHIM timeout 20 "$inst/usr/bin/osactor" run \
    -x app:terminal/app:cli 2>&1) ||
	fail "the osactor installed with LIBEXECDIR= failed: $out"
grep -q "  LIBEXEC" <<<"$out" || fail "no echo from the LIBEXECDIR install"

make -s -C "$root" B="$B" install DESTDIR="$T/dest" PREFIX=/opt/osactor \
    >>"$T/install.log" 2>&1 || fail "make install: $(tail -3 "$T/install.log")"
bin=$T/dest/opt/osactor/bin/osactor
[[ -x $bin ]] || fail "no $bin"
[[ -x $T/dest/opt/osactor/libexec/osactor/osactor-shim ]] || fail "no shim"
[[ -f $T/dest/opt/osactor/share/man/man1/osactor.1 ]] || fail "no man page"

out=$(cd "$APP" && printf 'installed\n\n' |
    env -u OSACTOR_SHIM timeout 20 "$bin" run -x app:terminal/app:cli) ||
	fail "the installed osactor failed"
grep -q "  INSTALLED" <<<"$out" || fail "no echo from the installed osactor"

make -s -C "$root" B="$B" uninstall DESTDIR="$T/dest" PREFIX=/opt/osactor \
    >>"$T/install.log" 2>&1 || fail "make uninstall"
[[ -z $(find "$T/dest" -type f) ]] || fail "uninstall left $(find "$T/dest" -type f)"
check_no_leftovers
