/* pin_gate.c: the signing PIN in front of an unlocked key (single-keyboard
 * mode): loading its hash from beside the key file (src/pin.h), its state,
 * choosing one. The check, which locks the key at the third wrong try, is
 * operators.c's, beside session_lock. Nothing here is recorded in the
 * journal: a PIN proves who is typing, the signature proves the rest. */
#include "ck.h"
#include "pin.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>

void sess_pin_clear(struct session *s, int side)
{
	free(s->pin_line[side]);
	free(s->pin_path[side]);
	s->pin_line[side] = s->pin_path[side] = NULL;
	s->pin_fails[side] = 0;
}

int sess_pin_load(struct session *s, int side, const char *key_path, char **err)
{
	sess_pin_clear(s, side);
	char *path = pin_path_for_key(key_path), *line = NULL;
	int rc = pin_read(path, &line, err);
	if (rc < 0) {
		free(path);
		return -1;
	}
	s->pin_path[side] = path;
	s->pin_line[side] = line; /* NULL: none yet */
	return 0;
}

const char *session_pin_invalid(const char *pin)
{
	return pin_invalid(pin);
}

enum session_pin session_pin_state(const struct session *s, int side)
{
	if ((side != CK_SIDE_A && side != CK_SIDE_B) || !s->key[side] || !s->pin_path[side])
		return SESSION_PIN_NONE;
	return s->pin_line[side] ? SESSION_PIN_SET : SESSION_PIN_MISSING;
}

int session_pin_set(struct session *s, int side, const char *pin, char **err)
{
	if (session_pin_state(s, side) != SESSION_PIN_MISSING)
		return sess_fail(err, xstrdup(_("this operator's signing PIN is set already")));
	char *line = NULL;
	if (pin_write(s->pin_path[side], pin, &line, err) != 0)
		return -1;
	s->pin_line[side] = line;
	s->pin_fails[side] = 0;
	return 0;
}
