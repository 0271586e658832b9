#!/bin/sh
# The layers: src/ never includes curses; ui/ never includes curl, yaml, OpenSSL
# or cJSON; ui/ reaches the engine through session.h and the base headers only;
# nothing outside the session reads session_int.h; and po/POTFILES.in lists
# every file that marks strings with _().
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 5
cd "$CK_SRCDIR" || exit 1
leak=$(grep -rlE '#include[[:space:]]*[<"](n?curses|ncursesw/|panel|menu|form)\.?h?' src || true)
[ -z "$leak" ] && tap_ok "src/ does not include curses" || tap_not_ok "src/ includes curses" "$leak"
leak=$(grep -rlE '#include[[:space:]]*[<"](curl/|yaml\.h|openssl/|cjson/|cJSON\.h)' ui || true)
[ -z "$leak" ] && tap_ok "ui/ does not include curl, yaml, OpenSSL or cJSON" || tap_not_ok "ui/ leaks" "$leak"
# ui/ may include its own headers, session.h, and base headers that know
# nothing of plans, steps, backends or journals.
base='ck|util|buf|text|secret|hash|pubkey|fileread|session'
own=$(cd ui && ls ./*.h | sed 's|^\./||; s|\.h$||' | tr '\n' '|' | sed 's/|$//')
leak=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' ui/*.c ui/*.h |
	grep -vE "\"($base|$own)\.h\"" || true)
[ -z "$leak" ] && tap_ok "ui/ includes session.h and base headers only" \
	|| tap_not_ok "ui/ includes engine headers" "$leak"
# session/session_int.h is the session's own (src/session/). Above it, the
# reports' typed model and verify read the typed record the rules fill, and
# test_session counts the step states a session holds (allocated on first
# change); nothing below the session, and no other file, may read it.
readers='src/report/model.h src/report/v1.c src/verify.c tests/test_verify.c tests/test_session.c'
leak=""
for f in $(grep -rlE '#[[:space:]]*include[[:space:]]*"(\.\./src/)?(session/)?session_int\.h"' src ui tests |
	grep -vE '^src/session/[a-z_]*\.(c|h)$' | sort); do
	case " $readers " in
	*" $f "*) ;;
	*) leak="$leak $f" ;;
	esac
done
[ -z "$leak" ] && tap_ok "no reader of session_int.h outside the session but the reports and verify" \
	|| tap_not_ok "session_int.h read outside the session" "$leak"
missing=""
for f in $(grep -rlE '(^|[^A-Za-z0-9_])N?_\(' src ui --include='*.c' | sort); do
	grep -qx "$f" po/POTFILES.in || missing="$missing $f"
done
[ -z "$missing" ] && tap_ok "po/POTFILES.in lists every translated file" \
	|| tap_not_ok "po/POTFILES.in misses files" "$missing"
tap_done
