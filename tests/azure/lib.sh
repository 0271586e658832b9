# tests/azure/lib.sh: a throwaway CA, the fake Azure, endpoints files and the
# az stub for the audit tests (sourced after tests/tap.sh).

# Certificates live FAKE_CERT_DAYS days (2 unless a test runs a wizard whose
# clock is ahead of the fake's).
# ca NAME: a CA certificate and key in $TMP/NAME.pem/.key
fake_ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$TMP/$1.key" -out "$TMP/$1.pem" -days "${FAKE_CERT_DAYS:-2}" -subj "/CN=ckwizard test $1" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
		2>/dev/null
}

# fake_server_cert CA NAME [expired]: a server certificate for every fake host
fake_server_cert() {
	ca=$1 name=$2
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMP/$name.key" \
		-out "$TMP/$name.csr" -subj /CN=fake.test 2>/dev/null
	printf '%s\n' "subjectAltName=DNS:login.fake.test,DNS:management.fake.test,DNS:graph.fake.test,DNS:*.vault.fake.test,DNS:*.managedhsm.fake.test" \
		"basicConstraints=CA:FALSE" "extendedKeyUsage=serverAuth" >"$TMP/$name.ext"
	if [ "${3:-}" = expired ]; then
		mkdir -p "$TMP/$name.db"
		: >"$TMP/$name.db/index.txt"
		echo 01 >"$TMP/$name.db/serial"
		printf '%s\n' "[ca]" "default_ca = d" "[d]" "database = $TMP/$name.db/index.txt" \
			"serial = $TMP/$name.db/serial" "new_certs_dir = $TMP/$name.db" \
			"default_md = sha256" "policy = p" "[p]" "commonName = supplied" >"$TMP/$name.cnf"
		openssl ca -batch -config "$TMP/$name.cnf" -cert "$TMP/$ca.pem" -keyfile "$TMP/$ca.key" \
			-in "$TMP/$name.csr" -out "$TMP/$name.pem" -startdate 20200101000000Z \
			-enddate 20200102000000Z -extfile "$TMP/$name.ext" -notext 2>/dev/null
	else
		openssl x509 -req -in "$TMP/$name.csr" -CA "$TMP/$ca.pem" -CAkey "$TMP/$ca.key" \
			-CAcreateserial -days "${FAKE_CERT_DAYS:-2}" -out "$TMP/$name.pem" -extfile "$TMP/$name.ext" 2>/dev/null
	fi
}

# fake_start NAME CERT [ARGS...]: start a fake in $TMP/NAME/, wait for its
# port; sets FAKE_PORT. The fake stops by itself after its lifetime.
fake_start() {
	name=$1 cert=$2
	shift 2
	mkdir -p "$TMP/$name"
	python3 "$TDATA/azure/fake.py" --plan-json "$TMP/plan.json" --cert "$TMP/$cert.pem" \
		--key "$TMP/$cert.key" --dir "$TMP/$name" --lifetime 300 "$@" \
		2>"$TMP/$name/stderr" &
	echo $! >"$TMP/$name/pid"
	n=0
	while [ ! -f "$TMP/$name/port" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
	FAKE_PORT=$(cat "$TMP/$name/port" 2>/dev/null)
	echo "$FAKE_PORT" >"$TMP/$name/portno"
}

fake_stop_all() {
	for p in "$TMP"/*/pid; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	return 0
}

# endpoints_file PORT FILE: an endpoints file pointing every fake host at PORT
endpoints_file() {
	printf '%s\n' "# the local fake" "name = fake" "authority = https://login.fake.test" \
		"arm = https://management.fake.test" "vault-suffix = vault.fake.test" \
		"hsm-suffix = managedhsm.fake.test" \
		"graph = https://graph.fake.test" "connect-to = ::127.0.0.1:$1" >"$2"
}

# hook PORT PATH JSON: call a test hook of the fake
hook() {
	curl -sS --fail --cacert "$TMP/ca.pem" --connect-to "::127.0.0.1:$1" -d "$3" \
		"https://login.fake.test$2"
}

# az_user DIR UPN PORT: an az configuration directory signed in as UPN
az_user() {
	mkdir -p "$1"
	echo "$2" >"$1/user"
	echo "$3 $TMP/ca.pem" >"$1/fake"
}

# az_stub_on_path: the stand-in `az` (it answers get-access-token from the
# fake for the configuration directory it is given) first on PATH.
az_stub_on_path() {
	mkdir -p "$TMP/bin"
	cp "$TDATA/azure/az-stub" "$TMP/bin/az"
	PATH="$TMP/bin:$PATH"
	export PATH
}

# fake_tenant PLAN [FAKE-ARGS...]: the whole set-up most tests want: the
# plan's inventory ($TMP/plan.json), a CA and server certificate, the fake
# serving it (FAKE_PORT), an endpoints file ($TMP/ep), the az stub on PATH,
# and one az configuration per operator ($TMP/azA, $TMP/azB).
fake_tenant() {
	"$CKW" show "$1" --format json >"$TMP/plan.json" 2>/dev/null
	shift
	fake_ca ca
	fake_server_cert ca srv
	fake_start main srv "$@"
	endpoints_file "$FAKE_PORT" "$TMP/ep"
	az_stub_on_path
	az_user "$TMP/azA" alice@contoso.example "$FAKE_PORT"
	az_user "$TMP/azB" bob@contoso.example "$FAKE_PORT"
}

# sd_officers PLAN OUT DIR: each security-domain officer of PLAN gets an RSA
# key pair and a certificate, DIR/sd-officer-N.cer (its key beside it, for
# the fake's tests only), and OUT is PLAN with each officer's public_key
# replaced by the SHA-256 of the new one (public_key_sha256), so a download
# to those certificates is the plan's.
sd_officers() {
	mkdir -p "$3"
	n=$(grep -c "^        public_key\(: |\|_sha256:\)" "$1")
	i=1
	: >"$TMP/sd.sums"
	while [ "$i" -le "$n" ]; do
		openssl req -x509 -newkey rsa:2048 -nodes -keyout "$3/sd-officer-$i.key" \
			-out "$3/sd-officer-$i.cer" -days 2 -subj "/CN=officer $i" 2>/dev/null
		openssl x509 -in "$3/sd-officer-$i.cer" -pubkey -noout |
			openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1 >>"$TMP/sd.sums"
		i=$((i + 1))
	done
	python3 - "$1" "$2" "$TMP/sd.sums" <<'PY'
import re, sys
plan, out, sums = sys.argv[1:]
s = open(plan).read()
it = iter(open(sums).read().split())
s = re.sub(r"^(        )(?:public_key: \|\n(?:          .*\n)+|public_key_sha256: \S+\n)",
           lambda m: "%spublic_key_sha256: %s\n" % (m.group(1), next(it)), s, flags=re.M)
open(out, "w").write(s)
PY
}

# token_canary [AUDIENCE]: every token the fakes under $TMP issued, raw,
# base64, URL-encoded or as its signature alone, is looked for in every
# file under $TMP but the fakes' own logs; the counts in $TMP/canary. Fails
# on a token found, on no token issued, or (AUDIENCE) on none issued for an
# audience containing AUDIENCE.
token_canary() {
	cat "$TMP"/*/tokens.txt >"$TMP/all-tokens" 2>/dev/null
	python3 - "$TMP" "$TMP/all-tokens" "${1:-}" >"$TMP/canary" 2>&1 <<'PY'
import base64, os, sys, urllib.parse
root, toks, aud = sys.argv[1], [t.strip() for t in open(sys.argv[2]) if t.strip()], sys.argv[3]
needles = set()
for t in toks:
    for form in (t, base64.b64encode(t.encode()).decode(), urllib.parse.quote(t, safe=""),
                 t.split(".")[2] if t.count(".") == 2 else t):
        needles.add(form.encode())
skip = {"tokens.txt", "requests.log", "all-tokens", "canary"}
bad = []
for d, _, files in os.walk(root):
    for f in files:
        if f in skip:
            continue
        data = open(os.path.join(d, f), "rb").read()
        bad += [os.path.join(d, f) for n in needles if n in data]
if aud:
    n = sum(1 for t in toks if aud in (base64.urlsafe_b64decode(t.split(".")[1] + "==").decode()
                                       if t.count(".") == 2 else ""))
    print("%d tokens (%d for %s), %d files with a token: %s" % (len(toks), n, aud, len(set(bad)),
                                                                sorted(set(bad))[:5]))
else:
    n = 1
    print("%d tokens, %d files with a token: %s" % (len(toks), len(set(bad)), sorted(set(bad))[:5]))
sys.exit(1 if bad or not toks or not n else 0)
PY
}

# agree SCENARIO FAULTS [HOOK-PATH' 'JSON]...: for the agreement tests, a
# fresh fake set by the hooks (server certificate $TMP/srv), the simulator
# with FAULTS, both run by rest_probe --agree on $PLAN; its lines in
# $RESULT ($TMP/result-SCENARIO), its status in $RC.
agree() {
	scen=$1 faults=$2
	shift 2
	fake_start "agree-$scen" srv
	endpoints_file "$FAKE_PORT" "$TMP/ep-$scen"
	az_user "$TMP/az-$scen-A" alice@contoso.example "$FAKE_PORT"
	az_user "$TMP/az-$scen-B" bob@contoso.example "$FAKE_PORT"
	for h in "$@"; do hook "$FAKE_PORT" "${h%% *}" "${h#* }" >/dev/null; done
	mkdir -p "$TMP/sim-$scen"
	# shellcheck disable=SC2086 # no faults: no argument
	"$CK_BUILDDIR/tests/rest_probe" --agree "$PLAN" "$TMP/ep-$scen" "$TMP/ca.pem" "$TMP/az-$scen-A" \
		"$TMP/az-$scen-B" "$TMP/sim-$scen" $faults >"$TMP/result-$scen" 2>&1
	RC=$?
	RESULT="$TMP/result-$scen"
}

# audit_device PORT ENDPOINTS OUT [ARG|JSON]...: `ckwizard audit $PLAN
# --sign-in device` in the background (stdout in OUT, stderr in OUT.err),
# with each ARG (not starting with "{") added to its options; each JSON is
# posted to the fake's /test/approve as soon as the fake takes it (one
# operator's device code after the other). Its status in RC.
audit_device() {
	port=$1 ep=$2 out=$3
	shift 3
	extra=
	for a in "$@"; do
		case $a in "{"*) ;; *) extra="$extra $a" ;; esac
	done
	# shellcheck disable=SC2086 # extra is a list of options on purpose
	"$CKW" audit "$PLAN" --ca-bundle "$TMP/ca.pem" --endpoints "$ep" --sign-in device $extra \
		>"$out" 2>"$out.err" &
	pid=$!
	for a in "$@"; do
		case $a in "{"*) ;; *) continue ;; esac
		n=0
		until hook "$port" /test/approve "$a" >/dev/null 2>&1 || [ $n -ge 300 ]; do
			sleep 0.1
			n=$((n + 1))
		done
	done
	wait $pid
	RC=$?
}

# agree_setup PLAN: what the agreement tests share before their scenarios:
# the plan's inventory for the fakes, a CA and server certificate ($TMP/srv),
# the az stub on PATH.
agree_setup() {
	PLAN=$1
	"$CKW" show "$PLAN" --format json >"$TMP/plan.json" 2>/dev/null
	fake_ca ca
	fake_server_cert ca srv
	az_stub_on_path
}

# agree_check [--only] NAME STEP...: after agree, no disagreement and each
# STEP fails in both; with --only, no other step fails.
agree_check() {
	only=
	[ "$1" = --only ] && only=1 && shift
	what=$1
	shift
	ok=0
	[ "$RC" = 0 ] && grep -q "^agree [0-9]* disagree 0$" "$RESULT" || ok=1
	for st in "$@"; do
		grep -q "^$st sim=fail rest=fail$" "$RESULT" || ok=1
	done
	n=$(grep -c "sim=fail rest=fail" "$RESULT")
	[ -z "$only" ] || [ "$n" = $# ] || ok=1
	[ $ok = 0 ] && tap_ok "$what: both agree on every step ($n failing in both)" ||
		tap_not_ok "$what" "$(grep -v "sim=pass rest=pass" "$RESULT")"
}

# (Shell variables are global: agree_backups keeps its own names.)
# agree_backups [--only] WHAT CREATE-STEP BACKUP-STEP ROLL-HOOK JSON: the
# key backup's scenarios (4 tests): the key made again after its backup (by
# ROLL-HOOK with JSON, the new version dated after the backups were
# recorded), then the recorded file gone, emptied or changed on disk; each
# time BACKUP-STEP fails in both. WHAT names the key ("key", "Managed HSM key").
agree_backups() {
	bk_only=
	[ "$1" = --only ] && bk_only=--only && shift
	PROBE_SIM_AGAIN=$2
	export PROBE_SIM_AGAIN
	agree rolled "" "$4 $5"
	unset PROBE_SIM_AGAIN
	agree_check $bk_only "a $1 made again after its backup" "$3"
	for how in gone empty changed; do
		PROBE_BACKUP_FILE=$how
		export PROBE_BACKUP_FILE
		agree "file-$how" ""
		agree_check $bk_only "the recorded $1 backup file $how on disk" "$3"
	done
	unset PROBE_BACKUP_FILE
}

# live_plan: Alice and Bob enrolled with passphrases of their own (PASS_A,
# PASS_B, exported for the drivers), and LIVE_PLAN (exported): the Exchange
# example plan with their keys in $TMP/plan.yaml, its JSON form in
# $TMP/plan.json.
live_plan() {
	PASS_A="alice's own passphrase $$"
	PASS_B="bob's own passphrase $$"
	export PASS_A PASS_B
	ka=$(echo "$PASS_A" | "$CKW" operator enroll --name "Alice Ames" --upn alice@contoso.example \
		--passphrase-fd 0 2>&1 | sed -n 's/^  key: "\(.*\)"$/\1/p')
	kb=$(echo "$PASS_B" | "$CKW" operator enroll --name "Bob Berg" --upn bob@contoso.example \
		--passphrase-fd 0 2>&1 | sed -n 's/^  key: "\(.*\)"$/\1/p')
	LIVE_PLAN="$TMP/plan.yaml"
	export LIVE_PLAN
	awk -v a="$ka" -v b="$kb" '/^    key: "ed25519:/ { n++; sub(/"ed25519:[^"]*"/, "\"" (n == 1 ? a : b) "\"") } { print }' \
		"$PLANS/contoso-exchange.yaml" >"$LIVE_PLAN"
	"$CKW" show "$LIVE_PLAN" --format json >"$TMP/plan.json" 2>/dev/null
}

# live_fake ARGS...: what the wizard's live end-to-end tests set up before
# their driver: two freshly enrolled operators' plan (live_plan), a CA and a
# server certificate (FAKE_CERT_DAYS if set), the fake started with ARGS
# (--lifetime and the like; FAKE_PORT exported) and the endpoints file
# $TMP/ep pointing every host at it.
live_fake() {
	live_plan
	fake_ca ca
	fake_server_cert ca srv
	fake_start main srv "$@"
	export FAKE_PORT
	endpoints_file "$FAKE_PORT" "$TMP/ep"
}
