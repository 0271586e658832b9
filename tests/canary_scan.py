"""The canary search: every secret given, looked for in every file under a
directory (but its in/ and main/: the test's own inputs and the fake's
records of what it issued) and in the files named on stdin, raw, URL-encoded,
in hex, and in base64 and base64url at the three alignments a secret can
have inside a longer encoded text.

usage: canary_scan.py ROOT TOKENS-FILE [SECRET...] <FILE-LIST
Every line of TOKENS-FILE is a secret too (the fake's tokens.txt). Prints
one line (what was searched, the hits) and exits 1 on a hit or when there
was no token to look for.
"""
import base64
import os
import sys
import urllib.parse


def forms(s):
    b = s.encode()
    out = {"raw": {b}, "url": {urllib.parse.quote(s, safe="").encode()}, "hex": {b.hex().encode()}}
    for name, enc in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
        out[name] = set()
        for pad in range(3):  # the secret at each alignment inside a longer text
            e = enc(b"\0" * pad + b)
            cut = (pad * 4 + 2) // 3 + 1 if pad else 0
            core = e[cut:len(e) - 4].rstrip(b"=")
            if len(core) >= 16:
                out[name].add(core)
    return out


def main():
    root, tokfile, passes = sys.argv[1], sys.argv[2], sys.argv[3:]
    toks = [t.strip() for t in open(tokfile) if t.strip()]
    secrets = [("passphrase or PIN", p) for p in passes] + [("token", t) for t in toks]
    needles = [(what, form, ns) for what, s in secrets for form, ns in forms(s).items()]
    skip_dirs = {os.path.join(root, "in"), os.path.join(root, "main")}
    files = []
    for d, _, fs in os.walk(root):
        if any(d == s or d.startswith(s + os.sep) for s in skip_dirs):
            continue
        files += [os.path.join(d, f) for f in fs]
    files += [line.strip() for line in sys.stdin if line.strip()]
    hits, size, kinds = [], 0, {}
    for path in files:
        try:
            data = open(path, "rb").read()
        except OSError:
            continue
        size += len(data)
        kinds[path.startswith(root)] = kinds.get(path.startswith(root), 0) + 1
        for what, form, ns in needles:
            if any(n in data for n in ns):
                hits.append("%s (%s, %s)" % (path, what, form))
    print("%d passphrases and PINs and %d tokens, 5 forms each; %d files (%d under the test, "
          "%d others), %d bytes; %d hits%s"
          % (len(passes), len(toks), len(files), kinds.get(True, 0), kinds.get(False, 0), size,
             len(hits), (": " + "; ".join(hits[:12])) if hits else ""))
    return 1 if hits or not toks else 0


if __name__ == "__main__":
    sys.exit(main())
