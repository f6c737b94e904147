#!/usr/bin/env python3
"""Lists training comments that share half or more of their words (Jaccard >= 0.5 over
lower-case word sets, comments of 4+ words) with a comment of the evaluation set, to
show that the training corpus is not a copy of the evaluation set (docs/text.md,
*Learned sentiment*). Run from the repository root."""
import glob
import re
import sys


def words(text):
    return set(re.findall(r"\w+", text.lower()))


def rows(path, text_column):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f):
            fields = line.rstrip("\n").split("\t")
            if number == 0 or len(fields) < 4:
                continue
            yield fields[0], fields[text_column]


evaluation = [(i, words(t), t) for path in sorted(glob.glob("tests/data/text/eval_*.tsv"))
              for i, t in rows(path, 5)]
hits = []
for path in sorted(glob.glob("lexicons/train/*.tsv")):
    for i, t in rows(path, -1):
        w = words(t)
        if len(w) < 4:
            continue
        score, other, other_text = max((len(w & e) / len(w | e), j, et) for j, e, et in evaluation)
        if score >= 0.5:
            hits.append((score, i, t, other, other_text))
for score, i, t, other, other_text in sorted(hits, reverse=True):
    print(f"{score:.2f}  {i}: {t}  ~  {other}: {other_text}")
print(f"{len(hits)} training comments share half or more of their words with an evaluation comment",
      file=sys.stderr)
