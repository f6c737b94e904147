#!/usr/bin/env python3
"""Shows how close the training corpus (lexicons/train/*.tsv) comes to the evaluation
sets (tests/data/text/*.tsv), so that the evaluation figures can be read honestly
(docs/text.md, *Learned sentiment*):

- exact twins: a training comment whose words (lower case, punctuation dropped) are
  exactly those of an evaluation comment, of any length ("ok", "Kiitos!");
- near twins: comments of 4+ words sharing half or more of their words (Jaccard).

Each hit names the evaluation comment's half (dev: id ends in an odd digit; held-out:
even; blind: a file never used in training). With --held-out-twins, prints only the ids
of held-out comments that have an exact twin. Run from the repository root."""
import glob
import re
import sys


def words(text):
    return re.findall(r"\w+", text.lower())


def rows(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        text_column = header.index("text")
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == len(header):
                yield fields[0], fields[text_column]


def half(path, comment_id):
    if "blind" in path:
        return "blind"
    return "dev" if comment_id[-1] in "13579" else "held-out"


evaluation = [(half(p, i), i, words(t), t) for p in sorted(glob.glob("tests/data/text/*.tsv")) for i, t in rows(p)]
training = [(i, words(t), t) for p in sorted(glob.glob("lexicons/train/*.tsv")) for i, t in rows(p)]

exact, near = [], []
for i, w, t in training:
    for h, j, e, et in evaluation:
        if w == e:
            exact.append((h, j, et, i))
        elif len(set(w)) >= 4:
            a, b = set(w), set(e)
            score = len(a & b) / len(a | b)
            if score >= 0.5:
                near.append((score, h, j, et, i, t))

if "--held-out-twins" in sys.argv:
    print("\n".join(sorted({j for h, j, _, _ in exact if h == "held-out"})))
    sys.exit(0)
print("exact twins (evaluation comment <- training comments):")
for h, j, et, i in sorted(exact):
    print(f"  {h:8} {j}: {et}  <- {i}")
print("near twins (4+ words, Jaccard >= 0.5):")
for score, h, j, et, i, t in sorted(near, reverse=True):
    print(f"  {score:.2f} {h:8} {j}: {et}  ~  {i}: {t}")
for name in ("dev", "held-out", "blind"):
    twins = {j for h, j, _, _ in exact if h == name}
    close = {j for _, h, j, _, _, _ in near if h == name}
    print(f"{name}: {len(twins)} comments with an exact twin, {len(close)} more with a near twin", file=sys.stderr)
