#!/bin/sh
# The layers: src/ never includes curses; ui/ never includes curl, yaml, OpenSSL
# or cJSON; and po/POTFILES.in lists every file that marks strings with _().
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 3
cd "$CK_SRCDIR" || exit 1
leak=$(grep -rlE '#include[[:space:]]*[<"](n?curses|ncursesw/|panel|menu|form)\.?h?' src || true)
[ -z "$leak" ] && tap_ok "src/ does not include curses" || tap_not_ok "src/ includes curses" "$leak"
leak=$(grep -rlE '#include[[:space:]]*[<"](curl/|yaml\.h|openssl/|cjson/|cJSON\.h)' ui || true)
[ -z "$leak" ] && tap_ok "ui/ does not include curl, yaml, OpenSSL or cJSON" || tap_not_ok "ui/ leaks" "$leak"
missing=""
for f in $(grep -rlE '(^|[^A-Za-z0-9_])N?_\(' src ui --include='*.c' | sort); do
	grep -qx "$f" po/POTFILES.in || missing="$missing $f"
done
[ -z "$missing" ] && tap_ok "po/POTFILES.in lists every translated file" \
	|| tap_not_ok "po/POTFILES.in misses files" "$missing"
tap_done
