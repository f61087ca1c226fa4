"""Writes pycocotools_rle.json: masks encoded by pycocotools (the reference COCO implementation).

CocoRleTest checks io.llavaseg.schemas.CocoRle against it. Regenerate with
  pip install --target /tmp/pycoco pycocotools==2.0.11
  PYTHONPATH=/tmp/pycoco python3 make_pycocotools_fixture.py > pycocotools_rle.json
"""
import importlib.metadata
import json

import numpy as np
from pycocotools import mask as M

rng = np.random.default_rng(20261127)
cases = []
for t in range(40):
    w, h = int(rng.integers(1, 21)), int(rng.integers(1, 16))
    kind = t % 5
    if kind == 0:
        m = np.zeros((h, w), np.uint8)
    elif kind == 1:
        m = np.ones((h, w), np.uint8)
    elif kind == 2:
        m = (rng.random((h, w)) < 0.3).astype(np.uint8)
    else:
        m = np.zeros((h, w), np.uint8)
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        m[y0:y0 + int(rng.integers(1, 6)), x0:x0 + int(rng.integers(1, 8))] = 1
    rle = M.encode(np.asfortranarray(m))
    cases.append({
        "width": w,
        "height": h,
        "rows": ["".join(str(v) for v in row) for row in m.tolist()],
        "counts": rle["counts"].decode("ascii"),
        "area": int(M.area(rle)),
        "bbox": [int(round(v)) for v in M.toBbox(rle).tolist()],
    })
version = importlib.metadata.version("pycocotools")
print(json.dumps({"generator": "pycocotools " + version, "cases": cases}, indent=1))
