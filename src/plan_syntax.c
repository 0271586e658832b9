/* plan_syntax.c: syntax of the typed values in a plan. Deliberately narrow:
 * these values end up in commands an operator pastes, so anything unusual is
 * refused rather than quoted and hoped for. */
#include "ck.h"
#include "plan_fields.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

int plan_is_guid(const char *s)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	if (!s || strlen(s) != 36)
		return 0;
	for (unsigned g = 0; g < CK_ARRAY_LEN(groups); g++) {
		for (int i = 0; i < groups[g]; i++, s++)
			if (!isxdigit((unsigned char)*s))
				return 0;
		if (g + 1 < CK_ARRAY_LEN(groups) && *s++ != '-')
			return 0;
	}
	return *s == '\0';
}

/* Letters, digits and inner hyphens, 1-63 per label, at least two labels,
 * the last one not all digits. */
int plan_is_fqdn(const char *s)
{
	if (!s || !*s || strlen(s) > 253)
		return 0;
	int labels = 0;
	const char *last = s;
	while (*s) {
		const char *start = s;
		while (isalnum((unsigned char)*s) || *s == '-')
			s++;
		size_t n = (size_t)(s - start);
		if (n == 0 || n > 63 || start[0] == '-' || s[-1] == '-')
			return 0;
		labels++;
		last = start;
		if (*s == '.') {
			s++;
			if (!*s)
				return 0;
		} else if (*s) {
			return 0;
		}
	}
	int alldigits = 1;
	for (const char *p = last; *p; p++)
		alldigits &= isdigit((unsigned char)*p) != 0;
	return labels >= 2 && !alldigits;
}

static int plan_local_part_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && !strchr(".-_+'", c))
			return 0;
		if (c == '.' && i + 1 < n && s[i + 1] == '.')
			return 0;
	}
	return 1;
}

int plan_is_email(const char *s)
{
	if (!s)
		return 0;
	const char *at = strchr(s, '@');
	if (!at || strchr(at + 1, '@'))
		return 0;
	return plan_local_part_ok(s, (size_t)(at - s)) && plan_is_fqdn(at + 1);
}

/* A UPN has the form of an e-mail address; Entra refuses the apostrophe and
 * plus sign in UPNs, so they are refused here too. */
int plan_is_upn(const char *s)
{
	if (!plan_is_email(s))
		return 0;
	for (const char *p = s; *p != '@'; p++)
		if (*p == '\'' || *p == '+')
			return 0;
	return 1;
}

int plan_is_https_url(const char *s)
{
	static const char scheme[] = "https://";
	if (!s || strncmp(s, scheme, sizeof scheme - 1) != 0)
		return 0;
	const char *host = s + sizeof scheme - 1;
	size_t hl = strcspn(host, "/");
	char buf[256];
	if (hl == 0 || hl >= sizeof buf)
		return 0;
	memcpy(buf, host, hl);
	buf[hl] = '\0';
	if (!plan_is_fqdn(buf))
		return 0;
	/* an optional path of safe characters only */
	for (const char *p = host + hl; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/-._~", *p))
			return 0;
	return 1;
}

int plan_is_name_geo(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 4)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return 0;
	return 1;
}

int plan_has_leading_zero(const char *s)
{
	if (s && *s == '-')
		s++;
	return s && s[0] == '0' && isdigit((unsigned char)s[1]);
}

int plan_is_int(const char *s, long *out)
{
	if (!s || !*s || plan_has_leading_zero(s))
		return 0;
	const char *p = s;
	if (*p == '-')
		p++;
	if (!*p || strlen(p) > 9)
		return 0;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	errno = 0;
	long v = strtol(s, NULL, 10);
	if (errno)
		return 0;
	*out = v;
	return 1;
}
