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
