#!/bin/sh
# run --live on a Managed HSM plan, through the seam (tests/rest_probe)
# against the fake: the HSM steps are checked over REST (the HSM as created,
# then activated; the administrators' and the apps' local roles), a change
# behind the tool's back fails exactly its step; --execute creates the HSMs
# and their keys, grants the missing roles (looking first: found, or
# exists-wrong and left alone), activates the HSMs (the security-domain
# download, never twice, never over a file) and backs up their keys.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 36
PROBE="$CK_BUILDDIR/tests/rest_probe"
# the officers' certificates in the working directory, and the plan with
# their keys' SHA-256 (the activation sends only those)
sd_officers "$PLANS/contoso-hsm.yaml" "$TMP/plan-sd.yaml" "$TMP/work"
PLAN="$TMP/plan-sd.yaml"
fake_tenant "$PLAN"
MW=c066d759-24ae-40e7-a56f-027002b5d3e4
SEU=33413926-3206-4cdd-b39a-83574fe37a17
probe() { (cd "$TMP/work" && "$PROBE" "$@" "$PLAN" "$TMP/ep" "$TMP/ca.pem" "$TMP/azA" "$TMP/azB") >"$TMP/out" 2>&1; RC=$?; }
okif() { if [ "$1" = 0 ]; then tap_ok "$2"; else tap_not_ok "$2" "$(grep -v ' pass ' "$TMP/out" | head -20)"; fi; }

probe
n=0
for s in hsm.create hsm.activate hsm.check hsm.role.admins hsm.role.service; do
	for side in A B; do
		grep -q "^$s/$side pass " "$TMP/out" && n=$((n + 1))
	done
done
[ "$RC" = 0 ] && [ $n = 10 ] && ! grep -q " fail " "$TMP/out"
okif $? "a clean tenant: every HSM step of both sides passes over REST ($n of 10)"
grep -q "^key.create/MW/B pass" "$TMP/out" && grep -q "^key.recovery/MW/A pass" "$TMP/out" &&
	grep -q "^key.uri/EX-Contoso-EX-Executives/A pass" "$TMP/out"
okif $? "the key steps read the keys in the HSMs"

hook "$FAKE_PORT" /test/hsm-role-remove "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\"}" >/dev/null
probe
[ "$(grep -c " fail " "$TMP/out")" = 1 ] &&
	grep -q "^hsm.role.service/A fail role assignment: M365DataAtRestEncryption ($MW) has no Managed HSM Crypto Service Encryption User" "$TMP/out" &&
	grep -q "^hsm.role.admins/A pass" "$TMP/out"
okif $? "an app's role removed fails exactly hsm.role.service/A, naming the app"
hook "$FAKE_PORT" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\",\"scope\":\"/keys\"}" >/dev/null

hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMB","properties":{"securityDomainProperties":{"activationStatus":"NotActivated"}}}' >/dev/null
probe
grep -q "^hsm.create/B pass" "$TMP/out" && grep -q "^hsm.activate/B fail activation: NotActivated" "$TMP/out" &&
	grep -q "^hsm.check/B fail activation: NotActivated" "$TMP/out" &&
	grep -q "^hsm.role.service/B fail role assignment: not activated (NotActivated): the Microsoft 365 apps' roles" "$TMP/out" &&
	grep -q "^key.create/MW/B fail exists: managed HSM Contoso-CK-HSMB is not activated" "$TMP/out" &&
	! grep -q "/A fail" "$TMP/out"
okif $? "an HSM not activated: created passes; activate, check, its roles and keys fail"
hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMB","properties":{"securityDomainProperties":{"activationStatus":"Active"}}}' >/dev/null

hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","properties":{"enablePurgeProtection":false}}' >/dev/null
probe
grep -q "^hsm.create/A fail purge protection: off" "$TMP/out" && grep -q "^hsm.check/A fail purge protection: off" "$TMP/out"
okif $? "purge protection off fails the HSM's creation and its check"
hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","properties":{"enablePurgeProtection":true}}' >/dev/null

# endpoints without hsm-suffix: the HSM's ARM side is checked, its data
# plane said unavailable (no HSM token is asked for)
grep -v hsm-suffix "$TMP/ep" >"$TMP/ep-nohsm"
"$PROBE" "$PLAN" "$TMP/ep-nohsm" "$TMP/ca.pem" "$TMP/azA" "$TMP/azB" >"$TMP/out" 2>&1
[ $? = 0 ] && grep -q "^sign-in A ok" "$TMP/out" && grep -q "^hsm.create/A pass" "$TMP/out" &&
	grep -q "^hsm.role.service/B unavailable .*no Managed HSM suffix" "$TMP/out"
okif $? "endpoints without hsm-suffix: the HSMs checked on ARM, their roles and keys unavailable, said why"

# --execute on the tenant as planned: everything is found, nothing written;
# the HSMs were activated before, so no security domain is downloaded again;
# the key backups are written as the vaults' are (0600, SHA-256 in the result)
writes() { grep -c "^PUT .*managedHSMs\|^POST .*managedhsm.fake.test/keys/.*/create" "$TMP/main/requests.log"; }
sdposts() { grep -c "^POST .*managedhsm.fake.test/securitydomain/download" "$TMP/main/requests.log"; }
probe --execute
[ "$RC" = 0 ] && grep -q "^rg.create/Contoso-CK-HSM-RGA/A pass rest-found" "$TMP/out" &&
	grep -q "^hsm.create/A pass rest-found" "$TMP/out" && grep -q "^key.create/MW/B pass rest-found" "$TMP/out" &&
	grep -q "^hsm.role.service/A pass rest-found" "$TMP/out" &&
	grep -q "^hsm.activate/A pass rest-sd-found" "$TMP/out" && grep -q "^hsm.activate/B pass rest-sd-found" "$TMP/out" &&
	grep -q "^= hsm.activate/B security domain: downloaded before, not by this run" "$TMP/out" &&
	! grep -q "^hsm.officer\|^key.uri\|^key.recovery" "$TMP/out" &&
	[ "$(writes)" = 0 ] && [ "$(sdposts)" = 0 ] && ! ls "$TMP/work" | grep -q SecurityDomain
okif $? "--execute on the tenant as planned: HSMs, keys and roles found, nothing written; activated HSMs found, no security domain downloaded"
n=0 bad=
for l in $(grep "^key.backup/[^ ]* pass rest-backup-written" "$TMP/out" | cut -d' ' -f1); do
	f=$(sed -n "s|^= $l backup file: ||p" "$TMP/out")
	sha=$(sed -n "s|^= $l sha256: ||p" "$TMP/out")
	[ -n "$f" ] && [ "$(stat -c %a "$TMP/work/$f")" = 600 ] &&
		[ "$(sha256sum <"$TMP/work/$f" | cut -d' ' -f1)" = "$sha" ] &&
		head -c 17 "$TMP/work/$f" | grep -q "^fake-mhsm-backup:" && n=$((n + 1)) || bad="$bad $l"
done
[ $n = 4 ] && [ -z "$bad" ] &&
	[ "$(grep -c "^POST .*managedhsm.fake.test/keys/[^/]*/backup" "$TMP/main/requests.log")" = 4 ] &&
	! grep -q "^POST .*vault.fake.test" "$TMP/main/requests.log"
okif $? "--execute backs up the four HSM keys from the HSMs' data plane: new 0600 files, their SHA-256 the result's ($n;$bad)"

# checks-only, the backups judged as the vaults' are: the time recorded
# against the HSM key's current version, and the file as recorded
BK=key.backup/EX-Contoso-EX-Executives/A
KHA=Contoso-CK-EX-NA-KeyA1
bf=$TMP/work/$(sed -n "s|^= $BK backup file: ||p" "$TMP/out")
bsha=$(sha256sum <"$bf" | cut -d' ' -f1)
hbk() {
	PROBE_EVIDENCE="$BK|backup_file|sha256:$bsha  $bf" PROBE_EVIDENCE_AT=$1 probe
	grep "^$BK " "$TMP/out"
}
now=$(date +%s)
r1=$(hbk "$now")
ver=$(hook "$FAKE_PORT" /test/hsm-roll-key "{\"hsm\":\"Contoso-CK-HSMA\",\"key\":\"$KHA\",\"created\":$((now + 60))}" |
	sed 's/.*"version": "\([0-9a-f]*\)".*/\1/')
r2=$(hbk "$now")
[ "${r1#* pass Backup of $KHA version }" != "$r1" ] && [ "${r1%in $bf.}" != "$r1" ] && [ -n "$ver" ] &&
	[ "${r2#* fail The backup of key $KHA recorded at * predates its current version $ver, }" != "$r2" ]
okif $? "checks-only: an HSM key's backup holds; the key rolled after it, it is stale ($r1 / $r2)"
cp "$bf" "$TMP/bf.keep"
printf x >>"$bf"
r3=$(hbk $((now + 120)))
: >"$bf"
r4=$(hbk $((now + 120)))
rm -f "$bf"
r5=$(hbk $((now + 120)))
cp -p "$TMP/bf.keep" "$bf"
[ "${r3#* fail The backup file $bf changed since it was written (SHA-256 }" != "$r3" ] &&
	[ "$r4" = "$BK fail The backup file $bf is empty: take the backup again" ] &&
	[ "$r5" = "$BK fail The backup file $bf is gone: take the backup again and keep its copies." ]
okif $? "checks-only: an HSM key's backup file changed, emptied or gone fails, saying what to do ($r3 / $r4 / $r5)"

# --execute grants a missing role: only with the right to assign roles, only
# to the principal that lacks it, once
rolewrites() { grep -c "^PUT .*managedhsm.fake.test/keys/providers/Microsoft.Authorization/roleAssignments/" "$TMP/main/requests.log"; }
hook "$FAKE_PORT" /test/hsm-role-remove "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\"}" >/dev/null
probe --execute
grep -q "^hsm.role.service/A fail rest-write-failed" "$TMP/out" && grep -q "^hsm.role.service/B pass rest-found" "$TMP/out" &&
	grep -q '"principal":"M365DataAtRestEncryption (c066d759-24ae-40e7-a56f-027002b5d3e4)","scope":"/keys"' "$TMP/out"
okif $? "an app's role missing, the operator without the right to assign roles: refused by the HSM, reported"
ADMIN=a290e904-7015-4bba-90c8-60543313cdb4
hook "$FAKE_PORT" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMA\",\"upn\":\"alice@contoso.example\",\"role\":\"$ADMIN\",\"scope\":\"/\"}" >/dev/null
before=$(rolewrites)
probe --execute
[ "$(grep -c "^hsm.role.* rest-written" "$TMP/out")" = 1 ] && grep -q "^hsm.role.service/A pass rest-written" "$TMP/out" &&
	[ "$(rolewrites)" = $((before + 1)) ]
okif $? "with Managed HSM Administrator: exactly the missing assignment is written (one PUT)"
# the role missing from the HSM's definitions: refused, saying so, nothing written
hook "$FAKE_PORT" /test/hsm-role-remove "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\"}" >/dev/null
hook "$FAKE_PORT" /test/hsm-hide-role-def "{\"hsm\":\"Contoso-CK-HSMA\",\"role\":\"$SEU\"}" >/dev/null
before=$(rolewrites)
probe --execute
grep -q "^hsm.role.service/A fail rest-write-failed" "$TMP/out" &&
	grep -q "^= hsm.role.service/A arg Contoso-CK-HSMA lists no role definition named Managed HSM Crypto Service Encryption User" "$TMP/out" &&
	[ "$(rolewrites)" = "$before" ]
okif $? "the HSM lists no Managed HSM Crypto Service Encryption User: refused clearly, nothing written"
hook "$FAKE_PORT" /test/hsm-hide-role-def "{\"hsm\":\"Contoso-CK-HSMA\",\"role\":\"$SEU\",\"show\":true}" >/dev/null
probe --execute
grep -q "^hsm.role.service/A pass rest-written" "$TMP/out" && [ "$(rolewrites)" = $((before + 1)) ]
okif $? "the definition listed again: the assignment is written with the id the HSM gives"
probe --execute
grep -q "^hsm.role.service/A pass rest-found" "$TMP/out" && [ "$(rolewrites)" = $((before + 1)) ]
okif $? "run again: found, nothing written"
hook "$FAKE_PORT" /test/hsm-role-remove "{\"hsm\":\"Contoso-CK-HSMA\",\"upn\":\"alice@contoso.example\",\"role\":\"$ADMIN\"}" >/dev/null
probe
grep -q "^hsm.role.service/A pass" "$TMP/out" && ! grep -q " fail " "$TMP/out"
okif $? "the role written checks as planned"

# --execute from an empty tenant: the HSMs are created, then activated (the
# security domain downloaded to the officers' certificates with the quorum,
# written 0600, its SHA-256 and size in the result); no key can be made
# until the administrators hold a key role
hook "$FAKE_PORT" /test/hsm-empty '{}' >/dev/null
probe --execute
sdA="$TMP/work/Contoso-CK-HSMA-SecurityDomain.json"
grep -q "^hsm.create/A pass rest-written" "$TMP/out" && grep -q "^hsm.create/B pass rest-written" "$TMP/out" &&
	grep -q '"initialAdminObjectIds":\["5b7c2d1e-3f4a-4b5c-8d6e-7f8091a2b3c4"\],"enableSoftDelete":true,"softDeleteRetentionInDays":90,"enablePurgeProtection":true' "$TMP/out" &&
	[ "$(grep -c "^key.create/.* fail rest-write-failed" "$TMP/out")" = 4 ] && [ "$(writes)" = 2 ]
okif $? "--execute from nothing: both HSMs created with purge protection (LRO), their keys refused without a key role"
grep -q "^hsm.activate/A fail rest-write-failed" "$TMP/out" &&
	grep -q "^= hsm.activate/A arg .*HTTP 403 .*securitydomain/download/action" "$TMP/out" &&
	[ "$(sdposts)" = 2 ] && ! ls "$TMP/work" | grep -q SecurityDomain
okif $? "the operators not among the new HSMs' administrators: the download refused by the HSM, no file"
hook "$FAKE_PORT" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMA\",\"upn\":\"alice@contoso.example\",\"role\":\"$ADMIN\",\"scope\":\"/\"}" >/dev/null
hook "$FAKE_PORT" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMB\",\"upn\":\"bob@contoso.example\",\"role\":\"$ADMIN\",\"scope\":\"/\"}" >/dev/null
probe --execute
grep -q "^hsm.activate/A pass rest-sd-written | .*\"required\":2,\"file\":\"Contoso-CK-HSMA-SecurityDomain.json\"" "$TMP/out" &&
	grep -q "^hsm.activate/B pass rest-sd-written" "$TMP/out" && [ "$(sdposts)" = 4 ] &&
	[ "$(stat -c %a "$sdA")" = 600 ] &&
	grep -q "^= hsm.activate/A sha256: $(sha256sum <"$sdA" | cut -d' ' -f1)$" "$TMP/out" &&
	grep -q "^= hsm.activate/A bytes: $(wc -c <"$sdA")$" "$TMP/out" &&
	grep -q "^= hsm.activate/A quorum: 2 of 3" "$TMP/out" &&
	grep -q '"required": 2' "$sdA"
okif $? "--execute activates each new HSM: one download each, the file 0600, its SHA-256 and size in the result"
[ "$(grep -c "^key.create/.* pass rest-written" "$TMP/out")" = 4 ] &&
	grep -q '"kty":"RSA-HSM","key_size":3072,"key_ops":\["wrapKey","unwrapKey"\]' "$TMP/out"
okif $? "activated in the same run, and the administrators' key role granted by it: the four keys are created (RSA-HSM 3072, wrap/unwrap)"
cp "$sdA" "$TMP/sdA.before"
before=$(writes)
probe --execute
grep -q "^hsm.create/B pass rest-found" "$TMP/out" && grep -q "^hsm.activate/A pass rest-sd-found" "$TMP/out" &&
	grep -q "^hsm.activate/B pass rest-sd-found" "$TMP/out" && [ "$(sdposts)" = 4 ] &&
	cmp -s "$sdA" "$TMP/sdA.before" && [ "$(writes)" = "$before" ]
okif $? "run again: the HSMs and their activation found, no second download, the file untouched"
probe
grep -q "^key.create/MW/A pass" "$TMP/out" && grep -q "^key.recovery/EX-Contoso-EX-Executives/B pass" "$TMP/out" &&
	grep -q "^hsm.activate/A pass" "$TMP/out" && grep -q "^hsm.role.service/A pass" "$TMP/out" &&
	grep -q "^hsm.role.admins/A fail role assignment: alice@contoso.example also holds Managed HSM Administrator" "$TMP/out"
okif $? "the keys, the activation and the apps' roles (granted by an administrator's run) check as planned; the extra Administrator is reported"

# the activation refuses before it sends anything: a security-domain file
# already there (never overwritten), a certificate whose key is not the
# officer's in the plan
notactive() { hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","properties":{"securityDomainProperties":{"activationStatus":"NotActivated"}}}' >/dev/null; }
notactive
PROBE_ONLY=hsm.activate probe --execute
grep -q "^hsm.activate/A fail rest-write-failed" "$TMP/out" &&
	grep -q "^= hsm.activate/A arg .*Contoso-CK-HSMA-SecurityDomain.json exists already: it is never overwritten" "$TMP/out" &&
	cmp -s "$sdA" "$TMP/sdA.before" && [ "$(sdposts)" = 4 ]
okif $? "a security-domain file already there: refused, never overwritten, nothing sent"
mv "$sdA" "$TMP/sdA.moved"
cp "$TMP/work/sd-officer-2.cer" "$TMP/cer2"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/other.key" -out "$TMP/work/sd-officer-2.cer" \
	-days 2 -subj "/CN=not the officer" 2>/dev/null
PROBE_ONLY=hsm.activate probe --execute
grep -q "^= hsm.activate/A arg .*sd-officer-2.cer holds a key of SHA-256 [0-9a-f]*, not officer Frank Fischer's in the plan" "$TMP/out" &&
	[ "$(sdposts)" = 4 ] && [ ! -e "$sdA" ]
okif $? "an officer's certificate of another key: refused, naming the officer, nothing sent"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMP/ec.key" \
	-out "$TMP/work/sd-officer-2.cer" -days 2 -subj "/CN=ec" 2>/dev/null
PROBE_ONLY=hsm.activate probe --execute
grep -q "^= hsm.activate/A arg .*sd-officer-2.cer is not a certificate of an RSA key of at least 2048 bits" "$TMP/out" &&
	[ "$(sdposts)" = 4 ]
okif $? "an officer's certificate that is not an RSA key: refused, nothing sent"
cp "$TMP/cer2" "$TMP/work/sd-officer-2.cer"
PROBE_ONLY=hsm.activate probe --execute
grep -q "^hsm.activate/A pass rest-sd-written" "$TMP/out" && grep -q "^hsm.activate/B pass rest-sd-found" "$TMP/out" &&
	[ "$(sdposts)" = 5 ] && [ -e "$sdA" ]
okif $? "the certificate put back: downloaded (A), found (B)"

# The security domain arrives once: room for it is made before it is asked
# for, so a full disk costs nothing; a failure after the answer says the
# copy is lost and what that means, and leaves no temporary behind.
. "$TDATA/crash_lib.sh"
shimmed() { (export CKW_SHIM_OP="$1" CKW_SHIM_AT=1 CKW_SHIM_MODE="$2" LD_PRELOAD="$SHIM"
	export PROBE_ONLY=hsm.activate; probe --execute); }
notemp() { ! ls -a "$TMP/work" | grep -q '^\.Contoso-CK-HSMA-SecurityDomain'; }
notactive
mv "$sdA" "$TMP/sdA.2"
shimmed fallocate ENOSPC
grep -q "^hsm.activate/A fail rest-write-failed" "$TMP/out" &&
	grep -q "^= hsm.activate/A arg .*cannot make room for Contoso-CK-HSMA-SecurityDomain.json: No space left on device; nothing was asked of Azure: free disk space" "$TMP/out" &&
	[ "$(sdposts)" = 5 ] && [ ! -e "$sdA" ] && notemp
okif $? "no room for the security domain: nothing asked of Azure, nothing left on disk"
shimmed write EIO
grep -q "^hsm.activate/A fail rest-write-failed" "$TMP/out" &&
	grep -q "^= hsm.activate/A arg .*could not be saved as Contoso-CK-HSMA-SecurityDomain.json: Input/output error. That answer was its only copy.*create no key in Contoso-CK-HSMA" "$TMP/out" &&
	[ "$(sdposts)" = 6 ] && [ ! -e "$sdA" ] && notemp
okif $? "the security domain given but not saved: its loss and what to do said, no partial file, no temporary"
notactive
# written and synced, only the folder's sync failing (the second fsync):
# the one copy there is stays under its name, to be secured at once
(export CKW_SHIM_OP=fsync CKW_SHIM_AT=2 CKW_SHIM_MODE=EIO LD_PRELOAD="$SHIM" PROBE_ONLY=hsm.activate
	probe --execute)
grep -q "^hsm.activate/A fail rest-write-failed" "$TMP/out" &&
	grep -q "^= hsm.activate/A arg .*it was written to Contoso-CK-HSMA-SecurityDomain.json (SHA-256 $(sha256sum <"$sdA" | cut -d' ' -f1)), but its folder could not be synced (Input/output error).*Copy it to safe storage now" "$TMP/out" &&
	[ "$(sdposts)" = 7 ] && grep -q '"required": 2' "$sdA" && [ "$(stat -c %a "$sdA")" = 600 ] && notemp
okif $? "the security domain written but its folder not synced: the file kept (0600, its SHA-256 said), copy it now"
# killed after Azure answered, before the file had its name (at the link):
# the hidden temporary holds the only copy, and the HSM shows Active. The
# next run names that temporary and keeps it, asking nothing (it would
# otherwise pass as "downloaded before"); secured under its name, the HSM
# is found. A temporary holding only its reservation is removed.
rm -f "$sdA"
notactive
(export CKW_SHIM_OP=link CKW_SHIM_AT=1 CKW_SHIM_MODE=kill LD_PRELOAD="$SHIM" PROBE_ONLY=hsm.activate
	probe --execute)
left=$(ls -a "$TMP/work" | grep '^\.Contoso-CK-HSMA-SecurityDomain\.json\.......$' | head -n 1)
posts=$(sdposts)
# Azure finishes the activation whether or not the client polls it to its end
hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","properties":{"securityDomainProperties":{"activationStatus":"Active"}}}' >/dev/null
(export PROBE_ONLY=hsm.activate; probe --execute)
[ -n "$left" ] && grep -q "^hsm.activate/A fail rest-sd-interrupted" "$TMP/out" &&
	grep -q "^= hsm.activate/A arg $left\$" "$TMP/out" &&
	[ "$(sdposts)" = "$posts" ] && grep -q '"required": 2' "$TMP/work/$left" && [ ! -e "$sdA" ]
okif $? "killed while saving the security domain: the next run names the temporary holding it, keeps it, asks nothing"
mv "$TMP/work/$left" "$sdA"
(export PROBE_ONLY=hsm.activate; probe --execute)
grep -q "^hsm.activate/A pass rest-sd-found" "$TMP/out" && [ "$(sdposts)" = "$posts" ] && notemp
okif $? "that temporary secured under its name: the HSM found activated, nothing downloaded"
rm -f "$sdA"
notactive
(export CKW_SHIM_OP=fallocate CKW_SHIM_AT=1 CKW_SHIM_MODE=kill LD_PRELOAD="$SHIM" PROBE_ONLY=hsm.activate
	probe --execute)
ls -a "$TMP/work" | grep -q '^\.Contoso-CK-HSMA-SecurityDomain\.json\.......$' &&
	(export PROBE_ONLY=hsm.activate; probe --execute) &&
	grep -q "^hsm.activate/A pass rest-sd-written" "$TMP/out" && [ "$(sdposts)" = $((posts + 1)) ] && notemp
okif $? "killed before anything was asked: the empty temporary removed, the download made"
# killed after the link, before the temporary's name was removed: that name
# is only a second one of the saved file, removed without a word
rm -f "$sdA"
notactive
(export CKW_SHIM_OP=unlink CKW_SHIM_AT=1 CKW_SHIM_MODE=kill LD_PRELOAD="$SHIM" PROBE_ONLY=hsm.activate
	probe --execute)
hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","properties":{"securityDomainProperties":{"activationStatus":"Active"}}}' >/dev/null
ls -a "$TMP/work" | grep -q '^\.Contoso-CK-HSMA-SecurityDomain\.json\.......$' && [ -s "$sdA" ] &&
	(export PROBE_ONLY=hsm.activate; probe --execute) &&
	grep -q "^hsm.activate/A pass rest-sd-found" "$TMP/out" && notemp && grep -q '"required": 2' "$sdA"
okif $? "killed after the link: the temporary, a second name of the saved file, removed; the HSM found"
rm -f "$sdA"
mv "$TMP/sdA.2" "$sdA"
hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","properties":{"securityDomainProperties":{"activationStatus":"Active"}}}' >/dev/null

# an HSM that exists but differs is reported, never overwritten
hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","properties":{"softDeleteRetentionInDays":7}}' >/dev/null
before=$(writes)
probe --execute
grep -q "^hsm.create/A fail rest-exists-wrong" "$TMP/out" && [ "$(writes)" = "$before" ]
okif $? "an HSM with 7 days' retention: exists-wrong, no write"
# the fake's own refusals of a download (ckwizard never sends these: it
# checks the certificates and the activation first): a quorum above the
# certificates' count, a certificate that is not the key it claims, an HSM
# already activated
sdpost() { # HSM BODY-FILE: the HTTP status of a download as alice
	tok=$(AZURE_CONFIG_DIR="$TMP/azA" az account get-access-token --resource https://managedhsm.fake.test |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["accessToken"])')
	curl -s -o "$TMP/sdpost.out" -w '%{http_code}' --cacert "$TMP/ca.pem" --connect-to "::127.0.0.1:$FAKE_PORT" \
		-H "Authorization: Bearer $tok" -H "Content-Type: application/json" --data-binary "@$2" \
		"https://$1.managedhsm.fake.test/securitydomain/download?api-version=7.5"
}
sdbody() { # QUORUM [BAD]: the body for the three officers' certificates, BAD: the first one's n altered
	python3 - "$TMP/work" "$1" "${2:-}" <<'PY'
import base64, hashlib, json, subprocess, sys
d, req, bad = sys.argv[1], int(sys.argv[2]), sys.argv[3]
u = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
certs = []
for i in (1, 2, 3):
    der = subprocess.run(["openssl", "x509", "-in", "%s/sd-officer-%d.cer" % (d, i), "-outform", "DER"],
                         capture_output=True, check=True).stdout
    mod = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-modulus"], input=der,
                         capture_output=True, check=True).stdout.decode().strip().split("=")[1]
    n = bytes.fromhex(mod)
    if bad and i == 1:
        n = n[:-1] + bytes([n[-1] ^ 1])
    certs.append({"kid": "o%d" % i, "kty": "RSA", "key_ops": ["wrapKey"], "alg": "RSA-OAEP-256",
                  "n": u(n), "e": "AQAB", "x5c": [base64.b64encode(der).decode()],
                  "x5t#S256": u(hashlib.sha256(der).digest())})
print(json.dumps({"certificates": certs, "required": req}))
PY
}
hook "$FAKE_PORT" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMB\",\"upn\":\"alice@contoso.example\",\"role\":\"$ADMIN\",\"scope\":\"/\"}" >/dev/null
hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMB","properties":{"securityDomainProperties":{"activationStatus":"NotActivated"}}}' >/dev/null
sdbody 4 >"$TMP/q4.json" && sdbody 2 bad >"$TMP/bad.json" && sdbody 2 >"$TMP/good.json"
c1=$(sdpost contoso-ck-hsmb "$TMP/q4.json") c2=$(sdpost contoso-ck-hsmb "$TMP/bad.json")
c3=$(sdpost contoso-ck-hsmb "$TMP/good.json")
c4=$(sdpost contoso-ck-hsma "$TMP/good.json")
[ "$c1" = 400 ] && [ "$c2" = 400 ] && [ "$c3" = 202 ] && [ "$c4" = 409 ]
okif $? "the fake refuses a quorum above the certificates ($c1), a certificate not of its key ($c2), an HSM already activated ($c4); it takes a good one ($c3)"
# the security-domain files, the backups and every output: no token
if token_canary managedhsm; then tap_ok "no token in any output or file ($(cat "$TMP/canary"))"; else tap_not_ok "a token leaked" "$(cat "$TMP/canary")"; fi
tap_done
