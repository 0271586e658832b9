/* lang.c: the language a report is rendered in. A Markdown or HTML report
 * is prose in the operators' language and says which one (HTML's lang
 * attribute; a first-line comment in Markdown, absent for English, so that
 * English reports read byte for byte as before); `verify --report` reads
 * that back and re-renders in the same language. The JSON report is
 * rendered in English whatever the environment: machines read it.
 *
 * The language is the one of the catalogue gettext reads for ckwizard, as
 * its header says ("Language: de"): what the reader actually gets, not what
 * the environment asked for (LANGUAGE=de without an installed German
 * catalogue renders English, and says so). Switching uses LANGUAGE, which
 * glibc honours in every locale but C/POSIX: under those, LC_MESSAGES is
 * set to C.UTF-8 for the rendering (glibc 2.35 and later have it built in).
 * Messages come out in UTF-8 whatever LC_CTYPE says: report files are UTF-8. */
#include "ck.h"
#include "report/fmt.h"
#include "util.h"

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* Letters, digits, '_' and '-', 1-15 of them ("de", "pt_BR", "sr-Latn"):
 * a report is untrusted input to verify, and the code goes into the
 * environment and into the report's own markup. */
bool report_lang_valid(const char *lang)
{
	size_t n = lang ? strlen(lang) : 0;
	if (n < 1 || n > REPORT_LANG_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((lang[i] >= 'a' && lang[i] <= 'z') || (lang[i] >= 'A' && lang[i] <= 'Z') ||
		      (lang[i] >= '0' && lang[i] <= '9') || lang[i] == '_' || lang[i] == '-'))
			return false;
	return true;
}

void report_lang_now(char out[REPORT_LANG_MAX + 1])
{
	strcpy(out, "en");
#if ENABLE_NLS
	/* The catalogue's header is its translation of the empty message. */
	const char *h = gettext("");
	const char *p = h && *h ? strstr(h, "\nLanguage: ") : NULL;
	if (!p && h && strncmp(h, "Language: ", 10) == 0)
		p = h - 1;
	if (p) {
		char tmp[REPORT_LANG_MAX + 1];
		size_t n = strcspn(p + 11, "\n");
		if (n <= REPORT_LANG_MAX) {
			memcpy(tmp, p + 11, n);
			tmp[n] = '\0';
			if (report_lang_valid(tmp))
				strcpy(out, tmp);
		}
	}
#endif
}

void report_lang_push(const char *lang, struct report_lang_saved *sv)
{
	memset(sv, 0, sizeof *sv);
#if ENABLE_NLS
	const char *l = getenv("LANGUAGE");
	const char *cs = bind_textdomain_codeset(PACKAGE, NULL);
	const char *msg = setlocale(LC_MESSAGES, NULL);
	sv->language = l ? xstrdup(l) : NULL;
	sv->codeset = cs ? xstrdup(cs) : NULL;
	sv->messages = xstrdup(msg ? msg : "C");
	if (util_streq(sv->messages, "C") || util_streq(sv->messages, "POSIX"))
		setlocale(LC_MESSAGES, "C.UTF-8");
	/* "en" has no catalogue: gettext falls back to the English messages. */
	setenv("LANGUAGE", report_lang_valid(lang) ? lang : "en", 1);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	/* Setting the domain again tells gettext the catalogues may differ now
	 * (glibc's textdomain bumps its catalogue counter). */
	textdomain(PACKAGE);
#else
	(void)lang;
#endif
}

void report_lang_pop(struct report_lang_saved *sv)
{
#if ENABLE_NLS
	if (sv->language)
		setenv("LANGUAGE", sv->language, 1);
	else
		unsetenv("LANGUAGE");
	if (sv->messages)
		setlocale(LC_MESSAGES, sv->messages);
	bind_textdomain_codeset(PACKAGE, sv->codeset ? sv->codeset : nl_langinfo(CODESET));
	textdomain(PACKAGE);
	free(sv->language);
	free(sv->codeset);
	free(sv->messages);
#endif
	memset(sv, 0, sizeof *sv);
}

/* The first line of a Markdown report in another language than English. */
#define MD_LANG_OPEN "<!-- language: "
#define MD_LANG_CLOSE " -->\n"

void report_lang_md_mark(struct buf *o, const char *lang)
{
	if (!util_streq(lang, "en"))
		buf_printf(o, "%s%s%s", MD_LANG_OPEN, lang, MD_LANG_CLOSE);
}

void report_lang_of(const char *bytes, size_t len, char out[REPORT_LANG_MAX + 1])
{
	static const char html[] = "<!DOCTYPE html>\n<html lang=\"";
	const char *p = NULL, *end = NULL;
	size_t ho = strlen(MD_LANG_OPEN), hh = sizeof html - 1;
	strcpy(out, "en");
	if (len > ho && memcmp(bytes, MD_LANG_OPEN, ho) == 0) {
		p = bytes + ho;
		end = memchr(p, ' ', len - ho);
	} else if (len > hh && memcmp(bytes, html, hh) == 0) {
		p = bytes + hh;
		end = memchr(p, '"', len - hh);
	}
	if (p && end && (size_t)(end - p) <= REPORT_LANG_MAX) {
		char tmp[REPORT_LANG_MAX + 1];
		memcpy(tmp, p, (size_t)(end - p));
		tmp[end - p] = '\0';
		if (report_lang_valid(tmp))
			strcpy(out, tmp);
	}
}
