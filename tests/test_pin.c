/* test_pin.c: the signing PIN (src/pin.c, src/session/pin_gate.c): a salted
 * slow hash beside the key, checked in constant time, three wrong tries
 * lock the key until the passphrase is typed again; a key without a PIN
 * gets one only while it is unlocked, and never over an existing file. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "pin.h"
#include "session.h"
#include "session_fixture.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void test_pin_hash_and_verify(void **state)
{
	(void)state;
	char *err = NULL;
	char *a = pin_hash("4821", &err), *b = pin_hash("4821", &err);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_not_equal(a, b);          /* salted */
	assert_null(strstr(a, "4821"));         /* never the PIN itself */
	assert_int_equal(pin_verify(a, "4821"), 1);
	assert_int_equal(pin_verify(b, "4821"), 1);
	assert_int_equal(pin_verify(a, "4822"), 0);
	assert_int_equal(pin_verify(a, ""), 0);
	/* not ours, or cost parameters out of bounds: refused, not tried */
	assert_int_equal(pin_verify("ckwizard-pin scrypt 16384 8 1 00 00\n", "4821"), -1);
	char *slow = xstrdup(a);
	memcpy(strstr(slow, "16384"), "99999", 5);
	assert_int_equal(pin_verify(slow, "4821"), -1);
	free(slow);
	free(a);
	free(b);
	assert_non_null(pin_invalid("123"));
	assert_non_null(pin_invalid("12 34"));
	assert_null(pin_invalid("1234"));
	char *p = pin_path_for_key("/x/alice@contoso.com.key");
	assert_string_equal(p, "/x/alice@contoso.com.pin");
	free(p);
	p = pin_path_for_key("/x/alice.pem");
	assert_string_equal(p, "/x/alice.pem.pin");
	free(p);
}

/* A rehearsal with the demo keys copied beside the test, so their PIN
 * files can be removed and made. */
static struct session *open_demo(bool with_pins)
{
	char *err = NULL;
	const char *names[] = { "alice", "bob" };
	for (int i = 0; i < 2; i++) {
		char *src = xasprintf("plans/demo-operators/%s.key", names[i]);
		char *from = fx_src(src), *to = xasprintf("%s.key", names[i]);
		char *text = fx_read_text(from);
		fx_write_text(to, "w", text);
		free(text);
		free(from);
		free(src);
		free(to);
		if (with_pins) {
			src = xasprintf("plans/demo-operators/%s.pin", names[i]);
			from = fx_src(src);
			to = xasprintf("%s.pin", names[i]);
			text = fx_read_text(from);
			fx_write_text(to, "w", text);
			free(text);
			free(from);
			free(src);
			free(to);
		}
	}
	char *plan = fx_src("plans/contoso-exchange.yaml");
	struct session_opts o;
	memset(&o, 0, sizeof o);
	o.plan_path = plan;
	o.dir = "s";
	o.mode = SESSION_REHEARSAL;
	o.key_path[CK_SIDE_A] = "alice.key";
	o.key_path[CK_SIDE_B] = "bob.key";
	struct session *s = session_open(&o, &err);
	assert_non_null(s);
	free(plan);
	return s;
}

static void test_pin_three_wrong_lock_the_key(void **state)
{
	(void)state;
	char *err = NULL;
	struct session *s = open_demo(true);
	assert_int_equal(session_pin_state(s, CK_SIDE_A), SESSION_PIN_NONE);
	assert_int_equal(session_pin_check(s, CK_SIDE_A, "1234", &err), -1); /* locked */
	free(err);
	err = NULL;
	assert_int_equal(session_unlock(s, CK_SIDE_A, "rehearse-alice", &err), 0);
	assert_int_equal(session_pin_state(s, CK_SIDE_A), SESSION_PIN_SET);
	assert_int_equal(session_pin_check(s, CK_SIDE_A, "1234", &err), 0);
	/* Bob's PIN does not sign as Alice */
	assert_int_equal(session_pin_check(s, CK_SIDE_A, "5678", &err), -1);
	assert_non_null(strstr(err, "2 tries left"));
	free(err);
	err = NULL;
	/* a right one in between starts the count again */
	assert_int_equal(session_pin_check(s, CK_SIDE_A, "1234", &err), 0);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(session_pin_check(s, CK_SIDE_A, "0000", &err), -1);
		free(err);
		err = NULL;
		assert_true(session_is_unlocked(s, CK_SIDE_A));
	}
	assert_int_equal(session_pin_check(s, CK_SIDE_A, "0000", &err), -2);
	assert_non_null(strstr(err, "passphrase"));
	assert_null(strstr(err, "0000"));
	free(err);
	err = NULL;
	assert_false(session_is_unlocked(s, CK_SIDE_A));
	assert_int_equal(session_pin_state(s, CK_SIDE_A), SESSION_PIN_NONE);
	/* even the right PIN does not open it again: the passphrase does */
	assert_int_equal(session_pin_check(s, CK_SIDE_A, "1234", &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(session_unlock(s, CK_SIDE_A, "rehearse-alice", &err), 0);
	assert_int_equal(session_pin_check(s, CK_SIDE_A, "1234", &err), 0);
	session_free(s);
}

static void test_pin_missing_is_chosen_once(void **state)
{
	(void)state;
	char *err = NULL;
	struct session *s = open_demo(false);
	/* not unlocked: nothing can be set */
	assert_int_equal(session_pin_set(s, CK_SIDE_B, "2468", &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(session_unlock(s, CK_SIDE_B, "rehearse-bob", &err), 0);
	assert_int_equal(session_pin_state(s, CK_SIDE_B), SESSION_PIN_MISSING);
	assert_int_equal(session_pin_set(s, CK_SIDE_B, "12", &err), -1); /* too short */
	free(err);
	err = NULL;
	assert_int_equal(session_pin_set(s, CK_SIDE_B, "2468", &err), 0);
	assert_int_equal(session_pin_state(s, CK_SIDE_B), SESSION_PIN_SET);
	struct stat st;
	assert_int_equal(stat("bob.pin", &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char *line = fx_read_text("bob.pin");
	assert_null(strstr(line, "2468"));
	assert_int_equal(pin_verify(line, "2468"), 1);
	free(line);
	/* set once: changing it is not this call's business */
	assert_int_equal(session_pin_set(s, CK_SIDE_B, "1357", &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(session_pin_check(s, CK_SIDE_B, "2468", &err), 0);
	/* the next unlock reads the file made */
	session_lock(s, CK_SIDE_B);
	assert_int_equal(session_unlock(s, CK_SIDE_B, "rehearse-bob", &err), 0);
	assert_int_equal(session_pin_state(s, CK_SIDE_B), SESSION_PIN_SET);
	/* a file there that is not a PIN file: the unlock is refused, the key
	 * stays locked */
	session_lock(s, CK_SIDE_B);
	fx_write_text("bob.pin", "w", "not a pin file\n");
	assert_int_equal(session_unlock(s, CK_SIDE_B, "rehearse-bob", &err), -1);
	assert_non_null(strstr(err, "bob.pin"));
	free(err);
	assert_false(session_is_unlocked(s, CK_SIDE_B));
	session_free(s);
}

static int setup(void **state)
{
	*state = fx_setup();
	return 0;
}

static int teardown(void **state)
{
	fx_teardown(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_hash_and_verify),
		cmocka_unit_test_setup_teardown(test_pin_three_wrong_lock_the_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pin_missing_is_chosen_once, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
