/* lookalike.h: telling whether two names or UPNs would read as the same to a
 * person, for the warning that two operators look alike (rule CK027).
 *
 * lookalike_fold() maps a string to a skeleton; two strings that fold to the
 * same skeleton are easy to mistake for each other. It applies, in order:
 *   - invisible characters (text_is_invisible) and combining marks dropped,
 *     accented Latin-1 letters reduced to their base letter;
 *   - a compatibility fold, a subset of Unicode's NFKC: fullwidth forms,
 *     compatibility spaces, the Latin ligatures U+FB00-FB06, long s, and the
 *     mathematical alphanumeric letters and digits;
 *   - look-alikes from a small curated table of Cyrillic, Greek and Latin
 *     letters and ASCII sequences, after the mappings of Unicode Technical
 *     Standard #39 (Unicode Security Mechanisms), confusables.txt, as
 *     published by the Unicode Consortium;
 *   - ASCII lower case; runs of spaces collapsed, leading and trailing ones
 *     trimmed.
 * ICU's full skeleton is outside the libraries this tool links, and Debian's
 * unicode-data package ships no confusables.txt: the table covers the
 * scripts an attacker would reach for in a Latin-script tenant. */
#ifndef CK_LOOKALIKE_H
#define CK_LOOKALIKE_H

#include <stdbool.h>

/* The skeleton of s (caller frees); invalid UTF-8 bytes are kept as they are. */
char *lookalike_fold(const char *s);
/* a and b differ as bytes but fold to the same skeleton. */
bool lookalike_collide(const char *a, const char *b);

#endif
