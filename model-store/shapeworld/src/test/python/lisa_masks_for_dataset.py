#!/usr/bin/env python3
"""Writes LISA's ground truth of a ReasonSeg-format folder as a predictions folder for `eval`.

    /usr/bin/python3 model-store/shapeworld/src/test/python/lisa_masks_for_dataset.py DATASET OUT

For every NAME.json in DATASET, the label map of LISA's get_mask_from_json (OpenCV polylines then
fillPoly, see make_lisa_masks.py) is written as OUT/NAME.png, 255 where the label is 1 (target)
and 0 elsewhere. `ops/llavaseg eval --dataset DATASET --predictions OUT` scores these: 1.0 when the
harness draws its ground truth as LISA does. Needs Debian's python3-opencv.
"""
import glob
import json
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_lisa_masks import lisa_label_map  # noqa: E402


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    dataset, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    n = 0
    for path in sorted(glob.glob(os.path.join(dataset, "*.json"))):
        name = os.path.splitext(os.path.basename(path))[0]
        try:
            with open(path, "r") as r:
                anno = json.loads(r.read())
        except UnicodeDecodeError:
            with open(path, "r", encoding="cp1252") as r:
                anno = json.loads(r.read())
        img = cv2.imread(os.path.join(dataset, name + ".jpg"))
        height, width = img.shape[:2]
        labels = lisa_label_map(anno["shapes"], height, width)
        if not cv2.imwrite(os.path.join(out, name + ".png"), np.where(labels == 1, 255, 0).astype(np.uint8)):
            raise SystemExit(f"could not write {name}.png")
        n += 1
    print(f"wrote {n} LISA masks (OpenCV {cv2.__version__}) to {out}")


if __name__ == "__main__":
    main()
