# md2man.awk: the Markdown of the project's format documents (plans/README.md,
# doc/journal.md) as a manual page, so that ckwizard-plan(5) and
# ckwizard-journal(5) say what the documents say and cannot drift from them
# (tests/l10n_man.sh regenerates and compares). It knows the subset those
# documents use: headings, paragraphs, "- " lists, tables, fenced code, `code`,
# **bold** and [links](url).
#   awk -v name=ckwizard-plan -v section=5 -v what="the setup plan format" \
#       -f doc/md2man.awk plans/README.md >doc/ckwizard-plan.5
function esc(s,    out, i, c, n, code) {
	# roff: a backslash doubled; in code a minus is a minus
	out = ""; code = 0; n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == "\\") out = out "\\e"
		else if (c == "`") { out = out (code ? "\\fR" : "\\fB"); code = !code }
		else if (c == "-" && code) out = out "\\-"
		else out = out c
	}
	if (code) out = out "\\fR"
	return out
}
function inline(s,    t) {
	while (match(s, /\[[^]]*\]\([^)]*\)/)) { # [text](url): the text
		t = substr(s, RSTART + 1, RLENGTH)
		sub(/\]\(.*/, "", t)
		s = substr(s, 1, RSTART - 1) t substr(s, RSTART + RLENGTH)
	}
	s = esc(s)
	while (match(s, /\*\*[^*]+\*\*/))
		s = substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 2, RLENGTH - 4) "\\fR" \
			substr(s, RSTART + RLENGTH)
	while (match(s, /(^|[ (])\*[^* ][^*]*\*/)) { # *emphasis*
		t = substr(s, RSTART, RLENGTH)
		sub(/\*/, "\\fI", t); sub(/\*$/, "\\fR", t)
		s = substr(s, 1, RSTART - 1) t substr(s, RSTART + RLENGTH)
	}
	return s
}
function out(s) { # a text line: one that starts with a control character is guarded
	if (s ~ /^[.']/) s = "\\&" s
	print s
}
function cells(s, arr,    n, i) {
	sub(/^\|[ \t]*/, "", s); sub(/[ \t]*\|[ \t]*$/, "", s)
	n = split(s, arr, /[ \t]*\|[ \t]*/)
	return n
}
function endpara() { inpara = 0; inlist = 0 }
BEGIN {
	print ".\\\" -*- coding: UTF-8 -*-"
	printf ".\\\" generated from %s by doc/md2man.awk: do not edit by hand\n", src
	printf ".TH %s %s \"\" \"ckwizard\" \"File formats\"\n", toupper(name), section
	print ".SH NAME"
	printf "%s \\- %s\n", name, what
	print ".SH DESCRIPTION"
	incode = 0; inpara = 0; inlist = 0; ntab = 0; seen_title = 0
}
/^<!--/ { next }
/^```/ {
	if (!incode) { endpara(); print ".PP\n.RS 2\n.nf"; incode = 1 }
	else { print ".fi\n.RE"; incode = 0 }
	next
}
incode { s = $0; gsub(/\\/, "\\e", s); out(s); next }
/^# / { next } # the document's title: NAME says it
/^## / { endpara(); print ".SH " toupper(inline(substr($0, 4))); next }
/^### / { endpara(); print ".SS " inline(substr($0, 5)); next }
/^\|/ {
	if ($0 ~ /^\|[-| :]*$/) next # the rule under the header
	if (!ntab) { ntab = cells($0, head); endpara(); next }
	n = cells($0, row)
	print ".TP"
	out(inline(row[1]))
	for (i = 2; i <= n; i++) {
		if (row[i] == "") continue
		if (i > 2) print ".br"
		if (ntab == 2) out(inline(row[i])) # two columns: the second needs no label
		else out(inline(head[i]) ": " inline(row[i]))
	}
	next
}
{ ntab = 0 }
/^[ \t]*$/ { endpara(); next }
/^- / { print ".IP \\(bu 2"; inlist = 1; inpara = 1; out(inline(substr($0, 3))); next }
{
	s = $0
	if (inlist) sub(/^[ \t]+/, "", s)
	if (!inpara) { print ".PP"; inpara = 1 }
	out(inline(s))
}
