#!/bin/sh
# crypto_on_demand.sh: ckwizard does not link libcrypto; the first OpenSSL
# call loads it (src/crypto_dl.c), found as the dynamic loader finds any
# library. `check`, which hashes nothing, starts without it (doc/bench.md);
# `show` prints the plan's SHA-256 from OpenSSL; and a libcrypto that cannot
# be loaded, or is not OpenSSL 3, stops a command that needs it with a clear
# message and nothing on stdout.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 8
cd "$TMP" || exit 1
PLAN="$PLANS/woodgrove-large.yaml"

tap_not_linked libcrypto

# loads_crypto CMD...: whether the command's run loaded libcrypto (the
# loader's own log); "none" when there is no log at all.
loads_crypto() {
	LD_DEBUG=files "$CKW" "$@" >run.out 2>run.ld
	if grep -q 'file=libcrypto' run.ld; then echo yes
	elif grep -q 'file=libyaml' run.ld; then echo no
	else echo none; fi
}
got=$(loads_crypto check "$PLAN")
[ "$got" = no ] && tap_ok "check runs without loading libcrypto" \
	|| tap_not_ok "check runs without loading libcrypto" "$got: $(grep 'file=' run.ld | head)"

got=$(loads_crypto show "$PLAN")
want=$(sha256sum <"$PLAN" | cut -c1-64)
if [ "$got" = yes ] && grep -q "^SHA-256  $want\$" run.out; then
	tap_ok "show loads libcrypto and prints the plan's SHA-256"
else
	tap_not_ok "show loads libcrypto and prints the plan's SHA-256" "$got; $(grep SHA-256 run.out)"
fi

# The system's OpenSSL configuration still governs (ckwizard skips only
# OpenSSL's error texts, never its configuration file): one that activates
# only the null provider, which has no SHA-256, keeps the real hash out, and
# show then stops (exit 2, saying what to do) rather than print a stand-in.
printf '%s\n' 'openssl_conf = init' '[init]' 'providers = provs' '[provs]' 'null = null' \
	'[null]' 'activate = 1' >null.cnf
OPENSSL_CONF="$TMP/null.cnf" "$CKW" show "$PLAN" >null.out 2>&1
nrc=$?
if ! grep -q "$want" null.out && grep -q "^SHA-256  $want\$" run.out && [ "$nrc" -eq 2 ] &&
   ! grep -q "0000000000000000" null.out &&
   grep -q "OpenSSL computes no SHA-256 here: .*OPENSSL_CONF" null.out; then
	tap_ok "show hashes under the system's OpenSSL configuration (OPENSSL_CONF honoured)"
else
	tap_not_ok "show hashes under the system's OpenSSL configuration (OPENSSL_CONF honoured)" \
		"exit $nrc" "$(grep SHA-256 null.out run.out)"
fi

# Signatures through the loaded library: the sample journal verifies.
"$CKW" verify "$CK_SRCDIR/tests/journals/sample.jsonl" >verify.out 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q '^VALID' verify.out && tap_ok "verify checks signatures through the loaded libcrypto" \
	|| tap_not_ok "verify checks signatures through the loaded libcrypto" "exit $rc: $(head -5 verify.out)"

# LD_LIBRARY_PATH comes first, as for any library: there, a file that is no
# library at all, then a real library that is not libcrypto.
mkdir empty other
: >empty/libcrypto.so.3
cp "$(ldd "$CKW" | sed -n 's/.*libcjson[^ ]* => \([^ ]*\) .*/\1/p')" other/libcrypto.so.3
for d in empty other; do
	LD_LIBRARY_PATH="$TMP/$d" "$CKW" show "$PLAN" >"$d.out" 2>"$d.err"
	rc=$?
	case $d in
	empty) want='cannot load libcrypto.so.3' ;;
	other) want='libcrypto.so.3 has no ' ;;
	esac
	if [ $rc -eq 2 ] && [ ! -s "$d.out" ] && grep -q "$want" "$d.err"; then
		tap_ok "show without a usable libcrypto ($d) stops: $want"
	else
		tap_not_ok "show without a usable libcrypto ($d) stops: $want" \
			"exit $rc; stdout $(wc -c <"$d.out") bytes; $(cat "$d.err")"
	fi
done
tap_check_without libcrypto
tap_done
