#!/bin/sh
# tests/figures/faults.sh BUILDDIR: every fault switch of the fake Azure
# (tests/azure/fake.py) against every kind of request `ckwizard audit` makes
# (doc/reliability.md, network faults). Not part of `make check`: about 70
# audits, several of them waiting out retries and time limits.
#
# Each cell: the fault on every attempt of the requests that match, one audit
# of plans/contoso-exchange.yaml, then the faults cleared. Expected: exit 3
# (could not check everything), the item named in an UNCHECKED line with a
# reason, nothing reported as drift or as holding that was not read, never a
# crash (exit 0-5). Prints a Markdown table: the exit code, then U (unchecked,
# named) and D (a drift line, wrong) per cell.
set -u
B=${1:?usage: faults.sh BUILDDIR}
export CK_SRCDIR=${CK_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)} CK_BUILDDIR=$B
. "$CK_SRCDIR/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
PLAN="$PLANS/contoso-exchange.yaml"
fake_tenant "$PLAN" --lifetime 3600
AZ="--sign-in az --az-config-A $TMP/azA --az-config-B $TMP/azB"
# kind|substring of host+path?query|what the UNCHECKED line names
KINDS='subscription|subscriptions/0a1b2c3d-1111-4aaa-8bbb-000000000001?|subscription
feature|features/mandatoryRetentionPeriodEnabled|feature
provider|0a1b2c3d-1111-4aaa-8bbb-000000000001/providers/Microsoft.KeyVault?|provider
resource group|resourcegroups/Contoso-CK-EX-NA-RGA?|resource group
vault|vaults/Contoso-CK-EX-NA-VaultA1?|vault
key|vaulta1.vault.fake.test/keys/Contoso-CK-EX-NA-VaultA1-Key001|key
key list|vaulta1.vault.fake.test/keys?|key
Graph user|graph.fake.test/v1.0/users/bob|vault'
FAULTS="429 500 503 slow drop truncate badjson redirect expired"
printf '| Request kind |'
for f in $FAULTS; do printf ' %s |' "$f"; done
printf '\n|---|'
for f in $FAULTS; do printf -- '---|'; done
printf '\n'
cells=0 good=0 crashes=0 drifts=0
echo "$KINDS" | while IFS='|' read -r kind match names; do
	printf '| %s |' "$kind"
	for f in $FAULTS; do
		extra='"seconds":1'
		[ "$f" = slow ] && extra='"seconds":3'
		hook "$FAKE_PORT" /test/fault "{\"name\":\"$f\",\"match\":\"$match\",\"count\":100,$extra}" >/dev/null
		"$CKW" audit "$PLAN" --ca-bundle "$TMP/ca.pem" --endpoints "$TMP/ep" --timeout 1 $AZ \
			>"$TMP/out" 2>&1
		rc=$?
		hook "$FAKE_PORT" /test/clear-faults '{}' >/dev/null
		u=$(grep -c "^UNCHECKED .*$names" "$TMP/out")
		d=$(grep -c "^DRIFT" "$TMP/out")
		cell="exit $rc"
		[ "$u" -gt 0 ] && cell="$cell, U"
		[ "$d" -gt 0 ] && cell="$cell, D$d"
		[ $rc -le 5 ] || cell="$cell, CRASH"
		printf ' %s |' "$cell"
		cp "$TMP/out" "$TMP/out.$f.$(echo "$kind" | tr ' ' _)"
	done
	printf '\n'
done
# one sample message per fault, for the record
echo
for f in $FAULTS; do
	printf -- '- %s: ' "$f"
	grep -h "^UNCHECKED" "$TMP"/out.$f.vault 2>/dev/null | head -1
done
