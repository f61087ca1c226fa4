#!/usr/bin/env python3
"""Summarises `eval --per-sample --json` reports taken before and after a ground-truth change.

    python3 summarise_before_after.py OUT.json META.json NAME=BEFORE.json,AFTER.json ...

META.json holds the run's description (date, split, models, commands); it is copied into OUT.json
with, per NAME, the before and after count, gIoU, cIoU and gIoU over targeted samples only (kinds
with a target: not dialogue, absent or ambiguous; needs --per-sample), and the change.
"""
import json
import sys

UNTARGETED = {"dialogue", "absent", "ambiguous"}


def figures(path):
    with open(path) as f:
        r = json.load(f)
    out = {"report": path, "source": r["source"], "count": r["count"], "giou": r["giou"], "ciou": r["ciou"]}
    if "samples" in r:
        t = [s["iou"] for s in r["samples"] if s["kind"] not in UNTARGETED]
        out["targeted_count"] = len(t)
        out["giou_targeted"] = sum(t) / len(t)
    return out


def main():
    out_path, meta_path, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(meta_path) as f:
        doc = json.load(f)
    for pair in pairs:
        name, files = pair.split("=", 1)
        before, after = files.split(",")
        b, a = figures(before), figures(after)
        doc[name] = {"before": b, "after": a,
                     "change": {k: a[k] - b[k] for k in ("giou", "ciou", "giou_targeted") if k in a and k in b}}
    with open(out_path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
