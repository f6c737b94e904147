#!/usr/bin/env python3
"""Checks tests/data/text/eval_sv_en.tsv: shape, labels, ids, and that `redacted`
differs from `text` only at placeholders, each covering valid personal data
(hetu and IBAN checksums, phone/email/name/address shapes). Prints counts.
Usage: python3 tests/data/text/check_sv_en.py [path]"""
import re, sys, collections, pathlib

THEMES = {"access_waiting", "phone_callback", "booking", "staff_kindness", "professional_skill",
          "information", "premises", "signage_parking", "digital", "safety", "service_language",
          "costs_billing", "cleanliness", "food"}
SENT = {"positive", "neutral", "negative", "mixed"}
KINDS = ["hetu", "puhelin", "email", "iban", "osoite", "nimi"]
CHK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
SIGNS = {"+": 1800, "-": 1900, "U": 1900, "V": 1900, "W": 1900, "X": 1900, "Y": 1900,
         "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}

def hetu_ok(s):
    m = re.fullmatch(r"(\d{2})(\d{2})(\d{2}) ?([-+A-FU-Ya-fu-y]) ?(\d{3})([0-9A-Ya-y])", s)
    if not m:
        return False
    import datetime
    dd, mm, yy, sign, zzz, c = m.groups()
    try:
        datetime.date(SIGNS[sign.upper()] + int(yy), int(mm), int(dd))
    except ValueError:
        return False
    return 2 <= int(zzz) <= 999 and CHK[int(dd + mm + yy + zzz) % 31] == c.upper()

def iban_ok(s):
    s = s.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", s) or (s[:2] == "FI" and len(s) != 18):
        return False
    r = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in r)) % 97 == 1

SHAPE = {
    "hetu": hetu_ok,
    "iban": iban_ok,
    "email": lambda s: re.fullmatch(r"[\w.%+'-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}", s) is not None,
    "puhelin": lambda s: re.fullmatch(r"[+0(][\d ()./-]+\d", s) is not None and 8 <= len(re.sub(r"\D", "", s)) <= 15,
    "osoite": lambda s: re.match(r"[A-ZÅÄÖ][\w ]*(gatan|vägen|katu|tie|Esplanaden) \d", s) is not None,
    "nimi": lambda s: re.fullmatch(r"[A-ZÅÄÖ][\w'-]*( [A-ZÅÄÖ][\w'-]*)?", s) is not None,
}

def main(path):
    errs, seen = [], set()
    c = collections.defaultdict(collections.Counter)
    signs = collections.Counter()
    rows = pathlib.Path(path).read_text(encoding="utf-8").split("\n")
    assert rows[-1] == "", "file must end with a newline"
    rows = rows[:-1]
    if rows[0] != "id\tlang\tsentiment\tthemes\tsuggestion\ttext\tredacted":
        errs.append("bad header")
    for n, line in enumerate(rows[1:], 2):
        f = line.split("\t")
        if len(f) != 7:
            errs.append(f"line {n}: {len(f)} fields"); continue
        id_, lang, sent, themes, sug, text, red = f
        where = f"line {n} ({id_})"
        if id_ in seen: errs.append(f"{where}: duplicate id")
        seen.add(id_)
        if not re.fullmatch(r"(sv|en)\d{3}", id_) or lang not in ("sv", "en"):
            errs.append(f"{where}: bad id/lang")
        if sent not in SENT: errs.append(f"{where}: bad sentiment {sent}")
        if sug not in ("0", "1"): errs.append(f"{where}: bad suggestion {sug}")
        th = [] if themes == "-" else themes.split(",")
        if len(th) > 4 or len(set(th)) != len(th) or any(t not in THEMES for t in th):
            errs.append(f"{where}: bad themes {themes}")
        if not text.strip() or text != text.strip():
            errs.append(f"{where}: empty text or surrounding space")
        words = len(text.split())
        if not 2 <= words <= 60: errs.append(f"{where}: {words} words")
        parts = re.split(r"\[(" + "|".join(KINDS) + r")\]", red)
        pattern = "".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(parts))
        m = re.fullmatch(pattern, text, re.S)
        if not m:
            errs.append(f"{where}: redacted does not align with text"); continue
        for kind, val in zip(parts[1::2], m.groups()):
            c["placeholder"][kind] += 1
            if not SHAPE[kind](val):
                errs.append(f"{where}: [{kind}] covers {val!r}, which does not look valid")
            if kind == "hetu": signs[re.sub(r"[\d ]", "", val)[0].upper()] += 1
        # no unredacted hetu/IBAN/email left behind
        for val in re.findall(r"\b\d{6} ?[-+A-FU-Ya-fu-y] ?\d{3}[0-9A-Ya-y]\b", red):
            if hetu_ok(val): errs.append(f"{where}: unredacted hetu {val}")
        if "@" in red: errs.append(f"{where}: unredacted e-mail")
        c["lang"][lang] += 1; c[f"sentiment {lang}"][sent] += 1; c["sentiment"][sent] += 1
        c["suggestion"][f"{lang}={sug}"] += 1
        c["pii comments"][f"{lang}={'1' if red != text else '0'}"] += 1
        for t in th: c["theme"][t] += 1
        if not th: c["theme"]["-"] += 1
    c["hetu signs"] = signs
    for k, v in c.items():
        print(f"{k}: " + ", ".join(f"{a}={b}" for a, b in sorted(v.items())))
    missing = set(SIGNS) - set(signs)
    if missing: errs.append(f"century signs never used: {''.join(sorted(missing))}")
    for e in errs: print("ERROR", e)
    print("OK" if not errs else f"{len(errs)} errors", f"({len(rows) - 1} rows)")
    return 1 if errs else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else
                  str(pathlib.Path(__file__).with_name("eval_sv_en.tsv"))))
