#!/usr/bin/env python3
"""Checks the labelled evaluation sets eval_fi.tsv and eval_sv_en.tsv (or the files
given as arguments): header, 7 fields, unique ids, valid labels, theme ids from the
taxonomy in TEAM.md, and that `redacted` equals `text` except where placeholders are,
with every planted identity code and IBAN valid. Exits 1 on any problem."""
import os, re, sys
HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = "id\tlang\tsentiment\tthemes\tsuggestion\ttext\tredacted"
THEMES = {"access_waiting", "phone_callback", "booking", "staff_kindness", "professional_skill",
          "information", "premises", "signage_parking", "digital", "safety", "service_language",
          "costs_billing", "cleanliness", "food"}
SENTS = {"positive", "neutral", "negative", "mixed"}
KINDS = ["hetu", "puhelin", "email", "iban", "osoite", "nimi"]
PH = re.compile(r"\[(%s)\]" % "|".join(KINDS))
CHK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
HETU_RE = re.compile(r"\b(\d{6}) ?([-+ABCDEFUVWXYabcdefuvwxy]) ?(\d{3})([0-9A-Ya-y])\b")
IBAN_RE = re.compile(r"\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?\b")
EMAIL_RE = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")

def hetu_ok(s):
    m = HETU_RE.fullmatch(s.strip())
    if not m: return False
    d, sign, z, c = m.groups()
    import datetime
    cent = {"+": 1800}; cent.update({k: 1900 for k in "-UVWXY"}); cent.update({k: 2000 for k in "ABCDEF"})
    try: datetime.date(cent[sign.upper()] + int(d[4:]), int(d[2:4]), int(d[:2]))
    except ValueError: return False
    return 2 <= int(z) <= 999 and CHK[int(d + z) % 31] == c.upper()

def iban_ok(s):
    s = s.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", s): return False
    if s.startswith("FI") and len(s) != 18: return False
    n = "".join(str(int(ch, 36)) for ch in s[4:] + s[:4])
    return int(n) % 97 == 1

def check(path, problems):
    def bad(where, msg): problems.append(f"{os.path.basename(path)}:{where}: {msg}")
    if not os.path.exists(path):
        bad(0, "file missing"); return None
    lines = open(path, encoding="utf-8").read().split("\n")
    if lines and lines[-1] == "": lines.pop()
    if not lines or lines[0] != HEADER: bad(1, "bad header")
    ids, stats = set(), {"rows": 0, "sent": {}, "themes": {}, "sugg": 0, "ph": {}, "pii_rows": 0}
    for no, line in enumerate(lines[1:], 2):
        f = line.split("\t")
        if len(f) != 7: bad(no, f"{len(f)} fields, want 7"); continue
        id_, lang, sent, themes, sugg, text, red = f
        stats["rows"] += 1
        if not re.fullmatch(r"[a-z]{2,5}\d{3}", id_): bad(no, f"bad id {id_!r}")
        if id_ in ids: bad(no, f"duplicate id {id_}")
        ids.add(id_)
        if lang not in ("fi", "sv", "en"): bad(no, f"bad lang {lang!r}")
        if sent not in SENTS: bad(no, f"bad sentiment {sent!r}")
        stats["sent"][sent] = stats["sent"].get(sent, 0) + 1
        if themes != "-":
            ts = themes.split(",")
            if len(ts) > 4 or len(set(ts)) != len(ts): bad(no, "0-4 distinct themes")
            for t in ts:
                if t not in THEMES: bad(no, f"unknown theme {t!r}")
                stats["themes"][t] = stats["themes"].get(t, 0) + 1
        if sugg not in ("0", "1"): bad(no, f"bad suggestion {sugg!r}")
        stats["sugg"] += sugg == "1"
        if not text.strip() or text != text.strip(): bad(no, "empty text or edge spaces")
        # redacted = text with placeholders substituted
        kinds = PH.findall(red)
        parts = PH.split(red)[0::2]
        rx = "".join(re.escape(p) + ("(.+?)" if i < len(kinds) else "") for i, p in enumerate(parts))
        m = re.fullmatch(rx, text, re.S)
        if not m: bad(no, "redacted does not match text outside placeholders"); continue
        if kinds: stats["pii_rows"] += 1
        covered = []
        for k, i in zip(kinds, range(1, len(kinds) + 1)):
            v = m.group(i); covered.append(m.span(i))
            stats["ph"][k] = stats["ph"].get(k, 0) + 1
            if k == "hetu" and not hetu_ok(v): bad(no, f"invalid hetu {v!r}")
            if k == "iban" and not iban_ok(v): bad(no, f"invalid IBAN {v!r}")
            if k == "email" and not EMAIL_RE.fullmatch(v): bad(no, f"bad e-mail {v!r}")
            if k == "puhelin" and len(re.sub(r"\D", "", v)) < 6: bad(no, f"bad phone {v!r}")
            if k == "osoite" and not re.search(r"\d", v): bad(no, f"address without number {v!r}")
            if k == "nimi" and not v[:1].isupper(): bad(no, f"name not capitalised {v!r}")
        inside = lambda a, b: any(s <= a and b <= e for s, e in covered)
        for rxp, what in ((HETU_RE, "hetu"), (EMAIL_RE, "e-mail"), (IBAN_RE, "IBAN")):
            for h in rxp.finditer(text):
                if what == "IBAN" and not iban_ok(h.group()): continue
                if not inside(*h.span()): bad(no, f"unredacted {what} {h.group()!r}")
    return stats

def main():
    paths = sys.argv[1:] or [os.path.join(HERE, n) for n in ("eval_fi.tsv", "eval_sv_en.tsv")]
    problems = []
    for p in paths:
        s = check(p, problems)
        if s: print(os.path.basename(p), s)
    for p in problems: print("PROBLEM", p)
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
