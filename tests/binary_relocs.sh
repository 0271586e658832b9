#!/bin/sh
# binary_relocs.sh: where configure found that the toolchain packs relative
# relocations (DT_RELR), the binary carries them packed: some 4,000 RELA
# entries (100 KB) would otherwise be mapped and read by every run, wizard
# included (doc/bench.md, "Sixth round: memory"). Where it did not, the
# tests say so and pass: the build is then as before.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 2
cd "$TMP" || exit 1
if ! grep -q '^CK_RELR_LDFLAGS = -Wl,-z,pack-relative-relocs' "$CK_BUILDDIR/Makefile"; then
	tap_ok "# SKIP configure found no DT_RELR support"
	tap_ok "# SKIP configure found no DT_RELR support"
	tap_done
fi
readelf -W -d "$CKW" >dyn.out 2>&1
if grep -q '(RELR)' dyn.out; then
	tap_ok "the binary has a packed relocation table (DT_RELR)"
else
	tap_not_ok "the binary has a packed relocation table (DT_RELR)" "$(head -40 dyn.out)"
fi
# The few left in RELA are those DT_RELR cannot hold (odd addresses, none
# expected): 64 leaves room, the unpacked binary has ~4,200.
n=$(readelf -W -r "$CKW" 2>&1 | grep -c '_RELATIVE')
if [ "$n" -le 64 ]; then
	tap_ok "no more than 64 relative relocations left unpacked ($n)"
else
	tap_not_ok "no more than 64 relative relocations left unpacked ($n)"
fi
tap_done
