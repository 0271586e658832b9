#!/bin/sh
# audit_connections.sh: `ckwizard audit` of the large example plan against
# the local fake opens one connection (one TLS handshake) per vault host,
# though it asks each vault two things at once (the key and the key list):
# the second request waits for the first and reuses its connection. The
# fake numbers its connections (--conn-log); the count is deterministic, not
# a time.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 3

PLAN="$PLANS/woodgrove-large.yaml"
fake_tenant "$PLAN" --conn-log "$TMP/conn.log"
AZ="--sign-in az --az-config-A $TMP/azA --az-config-B $TMP/azB"
# shellcheck disable=SC2086 # AZ is a list of options on purpose
if run_ck 0 "$TMP/audit.out" audit "$PLAN" --ca-bundle "$TMP/ca.pem" --endpoints "$TMP/ep" $AZ; then
	tap_ok "the audit of the large plan holds"
else
	tap_not_ok "the audit of the large plan holds" "$(tail -20 "$TMP/audit.out")"
fi
# connections per host, and requests per vault host
python3 - "$TMP/conn.log" >"$TMP/count" <<'PY'
import collections, sys
conns, reqs = collections.defaultdict(set), collections.Counter()
for line in open(sys.argv[1]):
    n, host = line.split()
    host = host.split(":")[0]
    conns[host].add(n)
    reqs[host] += 1
vaults = [h for h in conns if h.endswith(".vault.fake.test")]
print(len(vaults), sum(reqs[h] for h in vaults),
      " ".join("%s:%d" % (h, len(conns[h])) for h in sorted(vaults) if len(conns[h]) != 1))
PY
read -r nv nreq more <"$TMP/count"
if [ "${nv:-0}" -ge 100 ] && [ "${nreq:-0}" -ge $((2 * nv)) ]; then
	tap_ok "the audit asked $nv vault hosts $nreq requests"
else
	tap_not_ok "the audit asked every vault host at least twice" "$(cat "$TMP/count")"
fi
if [ -z "${more:-}" ] && [ "${nv:-0}" -gt 0 ]; then
	tap_ok "one connection (one TLS handshake) per vault host"
else
	tap_not_ok "one connection (one TLS handshake) per vault host" "more than one: $more"
fi
tap_done
