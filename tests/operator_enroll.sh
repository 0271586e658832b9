#!/bin/sh
# operator_enroll.sh: `ckwizard operator enroll|list|export` end to end, with
# passphrases from --passphrase-fd and a temporary XDG_CONFIG_HOME (tap.sh).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"

tap_plan 24
OPS="$XDG_CONFIG_HOME/ckwizard/operators"
PASS="correct horse battery staple"

mode() { stat -c %a "$1"; }

# 1-3: enroll writes both files 0600 in a 0700 directory and prints the plan line
if echo "$PASS" | "$CKW" operator enroll --name "Carol Chu" --upn Carol@Contoso.com \
	--passphrase-fd 0 >"$TMP/enroll.out" 2>&1 &&
	grep -q '^  key: "ed25519:[A-Za-z0-9+/]\{43\}="$' "$TMP/enroll.out" &&
	grep -q '^fingerprint: SHA256:' "$TMP/enroll.out"; then
	tap_ok "enroll prints the key line and the fingerprint"
else
	tap_not_ok "enroll prints the key line and the fingerprint" "$(cat "$TMP/enroll.out")"
fi
KEY="$OPS/carol@contoso.com.key"
if [ "$(mode "$KEY")" = 600 ] && [ "$(mode "$OPS/carol@contoso.com.pub")" = 600 ] &&
	[ "$(mode "$OPS")" = 700 ] && [ "$(mode "$XDG_CONFIG_HOME/ckwizard")" = 700 ]; then
	tap_ok "key files 0600 in 0700 directories"
else
	tap_not_ok "key files 0600 in 0700 directories" "$(ls -laR "$XDG_CONFIG_HOME")"
fi
if head -1 "$KEY" | grep -q -- '-----BEGIN ENCRYPTED PRIVATE KEY-----' &&
	openssl asn1parse -in "$KEY" | grep -q ':id-scrypt\|:scrypt'; then
	tap_ok "the private key is encrypted PKCS#8 with scrypt"
else
	tap_not_ok "the private key is encrypted PKCS#8 with scrypt" "$(openssl asn1parse -in "$KEY" 2>&1)"
fi

# 4-5: export prints exactly that line; openssl decrypts the key to the same public key
line=$(sed -n 's/^  key: "\(.*\)"$/\1/p' "$TMP/enroll.out")
if run_ck 0 "$TMP/export.out" operator export carol@CONTOSO.com &&
	[ "$(cat "$TMP/export.out")" = "$line" ]; then
	tap_ok "export prints the public key line only"
else
	tap_not_ok "export prints the public key line only" "$(cat "$TMP/export.out")"
fi
pub=$(openssl pkey -in "$KEY" -passin fd:3 -pubout -outform DER 3<<EOF | tail -c 32 | base64
$PASS
EOF
)
if [ "ed25519:$pub" = "$line" ]; then
	tap_ok "openssl decrypts the key with the passphrase; public keys match"
else
	tap_not_ok "openssl decrypts the key with the passphrase; public keys match" "ed25519:$pub" "$line"
fi

# 6: list
if run_ck 0 "$TMP/list.out" operator list &&
	grep -q "^Carol@Contoso.com  Carol Chu  SHA256:" "$TMP/list.out"; then
	tap_ok "list shows UPN, name and fingerprint"
else
	tap_not_ok "list shows UPN, name and fingerprint" "$(cat "$TMP/list.out")"
fi

# 7: never overwrite (another case of the same UPN)
before=$(cat "$KEY" "$OPS/carol@contoso.com.pub" | sha256sum)
if echo "$PASS" | run_ck 4 "$TMP/again.out" operator enroll --name Other --upn CAROL@contoso.com \
	--passphrase-fd 0 && grep -q "never overwrites" "$TMP/again.out" &&
	[ "$(cat "$KEY" "$OPS/carol@contoso.com.pub" | sha256sum)" = "$before" ]; then
	tap_ok "enrolling the same UPN again is refused, files untouched"
else
	tap_not_ok "enrolling the same UPN again is refused, files untouched" "$(cat "$TMP/again.out")"
fi

# 8: short passphrase
if echo "too short" | run_ck 2 "$TMP/short.out" operator enroll --name Dan --upn dan@contoso.com \
	--passphrase-fd 0 && grep -q "at least 12 characters" "$TMP/short.out" &&
	[ ! -e "$OPS/dan@contoso.com.key" ]; then
	tap_ok "a short passphrase is refused, nothing written"
else
	tap_not_ok "a short passphrase is refused, nothing written" "$(cat "$TMP/short.out")"
fi

# 9: empty input on the descriptor
if run_ck 2 "$TMP/empty.out" operator enroll --name Dan --upn dan@contoso.com \
	--passphrase-fd 0 </dev/null && grep -q "end of input" "$TMP/empty.out"; then
	tap_ok "no passphrase on the descriptor is a clear error"
else
	tap_not_ok "no passphrase on the descriptor is a clear error" "$(cat "$TMP/empty.out")"
fi

# 10: without --passphrase-fd and without a terminal: no other source is tried
if CKW_PASSPHRASE="$PASS" setsid -w "$CKW" operator enroll --name Dan --upn dan@contoso.com \
	</dev/null >"$TMP/notty.out" 2>&1; then
	tap_not_ok "no terminal and no --passphrase-fd: refused" "$(cat "$TMP/notty.out")"
elif grep -q "no terminal" "$TMP/notty.out" && [ ! -e "$OPS/dan@contoso.com.key" ]; then
	tap_ok "no terminal and no --passphrase-fd: refused"
else
	tap_not_ok "no terminal and no --passphrase-fd: refused" "$(cat "$TMP/notty.out")"
fi

# 11-13: UPNs that are not file-name safe, and bad names
for upn in "../evil@contoso.com" "a/b@contoso.com" "alice@contoso"; do
	if echo "$PASS" | run_ck 2 "$TMP/upn.out" operator enroll --name Eve --upn "$upn" \
		--passphrase-fd 0 && ! ls "$OPS" "$XDG_CONFIG_HOME/ckwizard" | grep -q evil; then
		tap_ok "UPN \"$upn\" refused"
	else
		tap_not_ok "UPN \"$upn\" refused" "$(cat "$TMP/upn.out")"
	fi
done

# 14: a name with a terminal escape is refused
if echo "$PASS" | run_ck 2 "$TMP/name.out" operator enroll --name "$(printf 'Eve\033[2J')" \
	--upn eve@contoso.com --passphrase-fd 0 && grep -q "control" "$TMP/name.out"; then
	tap_ok "a name with control characters is refused"
else
	tap_not_ok "a name with control characters is refused" "$(cat "$TMP/name.out")"
fi

# 15-16: --dir (e.g. removable media): created 0700, listed and exported from there
if echo "$PASS" | run_ck 0 "$TMP/dir.out" operator enroll --name "$(printf 'Bj\303\270rn')" \
	--upn bjorn@contoso.com --dir "$TMP/usb" --passphrase-fd 0 &&
	[ "$(mode "$TMP/usb")" = 700 ] && [ "$(mode "$TMP/usb/bjorn@contoso.com.key")" = 600 ]; then
	tap_ok "--dir: directory 0700, key 0600"
else
	tap_not_ok "--dir: directory 0700, key 0600" "$(cat "$TMP/dir.out")"
fi
if run_ck 0 "$TMP/dl.out" operator list --dir "$TMP/usb" && grep -q "^bjorn@contoso.com" "$TMP/dl.out" &&
	! grep -q carol "$TMP/dl.out" && run_ck 0 "$TMP/de.out" operator export bjorn@contoso.com --dir "$TMP/usb"; then
	tap_ok "--dir: list and export read that directory only"
else
	tap_not_ok "--dir: list and export read that directory only" "$(cat "$TMP/dl.out" "$TMP/de.out")"
fi

# 17: export of someone not enrolled
if run_ck 2 "$TMP/none.out" operator export nobody@contoso.com && grep -q "no operator" "$TMP/none.out"; then
	tap_ok "export of an unknown UPN says so"
else
	tap_not_ok "export of an unknown UPN says so" "$(cat "$TMP/none.out")"
fi

# 18: a .pub file edited to carry the identity point (under which one constant
# signature verifies for every message): export refuses it, list says why
mkdir -p "$TMP/weak" && chmod 700 "$TMP/weak"
printf 'name: Eve\nupn: eve@contoso.com\nkey: ed25519:AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' \
	>"$TMP/weak/eve@contoso.com.pub"
if run_ck 2 "$TMP/weak.out" operator export eve@contoso.com --dir "$TMP/weak" &&
	grep -q "refused: a small-order" "$TMP/weak.out" && ! grep -q "^ed25519:" "$TMP/weak.out" &&
	run_ck 0 "$TMP/weakl.out" operator list --dir "$TMP/weak" && grep -q "KEY REFUSED" "$TMP/weakl.out"; then
	tap_ok "a small-order key in a .pub file is refused by export and flagged by list"
else
	tap_not_ok "a small-order key in a .pub file is refused by export and flagged by list" \
		"$(cat "$TMP/weak.out" "$TMP/weakl.out")"
fi

# 23-24: scripts give the signing PIN on its own descriptor; it is kept
# hashed, 0600, beside the key; a PIN too short writes nothing at all.
printf '735190\n' >"$TMP/pin.txt"
if printf '%s\n' "$PASS" | "$CKW" operator enroll --name "Pia Park" --upn pia@contoso.com \
	--passphrase-fd 0 --pin-fd 3 3<"$TMP/pin.txt" >"$TMP/pin.out" 2>&1 &&
	[ "$(mode "$OPS/pia@contoso.com.pin")" = 600 ] &&
	grep -q '^ckwizard-pin scrypt ' "$OPS/pia@contoso.com.pin" &&
	! grep -q 735190 "$OPS/pia@contoso.com.pin" "$TMP/pin.out"; then
	tap_ok "--pin-fd: the signing PIN is kept as a salted scrypt hash, 0600"
else
	tap_not_ok "--pin-fd" "$(cat "$TMP/pin.out" "$OPS/pia@contoso.com.pin" 2>&1)"
fi
printf '12\n' >"$TMP/pin2.txt"
if ! printf '%s\n' "$PASS" | "$CKW" operator enroll --name "Pat Poe" --upn pat@contoso.com \
	--passphrase-fd 0 --pin-fd 3 3<"$TMP/pin2.txt" >"$TMP/pin2.out" 2>&1 &&
	grep -q "at least 4" "$TMP/pin2.out" && [ ! -e "$OPS/pat@contoso.com.key" ]; then
	tap_ok "a signing PIN too short: refused, nothing written"
else
	tap_not_ok "a short PIN" "$(cat "$TMP/pin2.out")"
fi

# 19-20: on a terminal (a pty, tests/operator_pty.py): no echo, asked twice;
# two different answers write nothing.
PTY="$TDATA/operator_pty.py"
if python3 "$PTY" "$CKW" "typed on a terminal" "typed on a terminal" tia@contoso.com \
	>"$TMP/tty.out" 2>&1 && grep -q "again" "$TMP/tty.out" && grep -q "^fingerprint:" "$TMP/tty.out" &&
	! grep -q "typed on a terminal\|4826" "$TMP/tty.out" && [ -f "$OPS/tia@contoso.com.pin" ] &&
	! grep -q 4826 "$OPS/tia@contoso.com.pin"; then
	tap_ok "on a terminal: passphrase and signing PIN asked twice, never echoed; the PIN kept hashed"
else
	tap_not_ok "on a terminal: asked twice, never echoed" "$(cat "$TMP/tty.out")"
fi
if ! python3 "$PTY" "$CKW" "typed on a terminal" "typed on a terminaL" tim@contoso.com \
	>"$TMP/tty2.out" 2>&1 && grep -q "differ" "$TMP/tty2.out" && [ ! -e "$OPS/tim@contoso.com.key" ]; then
	tap_ok "on a terminal: two different passphrases write nothing"
else
	tap_not_ok "on a terminal: two different passphrases write nothing" "$(cat "$TMP/tty2.out")"
fi
if python3 "$PTY" "$CKW" "typed on a terminal" "" tom@contoso.com fd0 >"$TMP/tty3.out" 2>&1 &&
	grep -q "^fingerprint:" "$TMP/tty3.out" && ! grep -q "typed on a terminal" "$TMP/tty3.out"; then
	tap_ok "--passphrase-fd 0 on a terminal: not echoed either"
else
	tap_not_ok "--passphrase-fd 0 on a terminal: not echoed either" "$(cat "$TMP/tty3.out")"
fi
# 22: a signal while the passphrase is asked (echo off) waits until echo is
# back: the terminal is never left silent
if python3 "$PTY" "$CKW" "typed on a terminal" "" tess@contoso.com SIGTERM >"$TMP/sig.out" 2>&1 &&
	[ ! -e "$OPS/tess@contoso.com.key" ]; then
	tap_ok "SIGTERM at the passphrase prompt: the process ends with echo back on"
else
	tap_not_ok "SIGTERM at the passphrase prompt: the process ends with echo back on" \
		"$(cat "$TMP/sig.out")"
fi
tap_done
