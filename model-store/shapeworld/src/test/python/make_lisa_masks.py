#!/usr/bin/env python3
"""Writes the OpenCV fixture that CvRasterFixtureTest compares the Java rasteriser with.

Run with Debian's OpenCV (apt-get install -y python3-opencv), from the repository root:

    python3 model-store/shapeworld/src/test/python/make_lisa_masks.py

It generates a fixed set of polygons (seeded: convex, concave, tiny, on and beyond the image
border, self-intersecting, several shapes with an ``ignore`` shape overlapping a target, a
``flag`` shape), writes them to ``cases.json`` and, from the values read back from that file,
rasterises them with OpenCV exactly as LISA's ``utils/data_processing.py`` ``get_mask_from_json``
does. Output in ``src/test/resources/lisa-opencv/``:

- ``NAME.png``: the label map of the case (0 background, 1 target, 255 ignore), made by
  ``lisa_label_map`` below (LISA's function on the case's shapes);
- ``NAME_K.png``: shape K alone, ``cv2.polylines(m, [pts], True, 1, 1)`` then
  ``cv2.fillPoly(m, [pts], 1)``;
- ``NAME_K_lines.png``: shape K alone, ``cv2.polylines`` only.

``cases.json`` also records the OpenCV and NumPy versions that made the masks.
"""
import json
import math
import os
import random

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "lisa-opencv"))


def lisa_label_map(shapes, height, width):
    """LISA's get_mask_from_json, from its "sort polies by area" on, for a list of shapes."""
    area_list = []
    valid_poly_list = []
    for i in shapes:
        label_id = i["label"]
        points = i["points"]
        if "flag" == label_id.lower():  # skipped by LISA ("meaningless deprecated annotations")
            continue
        tmp_mask = np.zeros((height, width), dtype=np.uint8)
        cv2.polylines(tmp_mask, np.array([points], dtype=np.int32), True, 1, 1)
        cv2.fillPoly(tmp_mask, np.array([points], dtype=np.int32), 1)
        area_list.append(tmp_mask.sum())
        valid_poly_list.append(i)
    sort_index = list(np.argsort(area_list)[::-1].astype(np.int32))
    mask = np.zeros((height, width), dtype=np.uint8)
    for s_idx in sort_index:
        i = valid_poly_list[s_idx]
        label_value = 255 if "ignore" in i["label"].lower() else 1
        pts = np.array([i["points"]], dtype=np.int32)
        cv2.polylines(mask, pts, True, label_value, 1)
        cv2.fillPoly(mask, pts, label_value)
    return mask


def r2(v):
    return round(v, 2)


def convex(rng, w, h, n, cx, cy, r):
    angles = sorted(rng.uniform(0, 2 * math.pi) for _ in range(n))
    return [[r2(cx + r * math.cos(a)), r2(cy + r * math.sin(a))] for a in angles]


def star(rng, w, h, n, cx, cy, r_out, r_in):
    pts = []
    for k in range(2 * n):
        a = math.pi * k / n + rng.uniform(-0.15, 0.15)
        r = (r_out if k % 2 == 0 else r_in) * rng.uniform(0.8, 1.0)
        pts.append([r2(cx + r * math.cos(a)), r2(cy + r * math.sin(a))])
    return pts


def random_walk(rng, w, h, n):
    """Random points in the image, in random order: usually self-intersecting."""
    return [[r2(rng.uniform(0, w - 1)), r2(rng.uniform(0, h - 1))] for _ in range(n)]


def cases():
    rng = random.Random(20261206)
    out = []

    def add(name, w, h, shapes):
        out.append({"name": name, "width": w, "height": h, "shapes": shapes})

    def target(points, label="target"):
        return {"label": label, "points": points}

    for k in range(6):
        w, h = rng.choice([(64, 64), (48, 40), (80, 56)])
        add(f"convex{k}", w, h, [target(convex(rng, w, h, rng.randint(3, 12), rng.uniform(15, w - 15),
                                                  rng.uniform(12, h - 12), rng.uniform(4, 14)))])
    for k in range(6):
        w, h = rng.choice([(64, 64), (72, 48)])
        add(f"concave{k}", w, h, [target(star(rng, w, h, rng.randint(3, 7), rng.uniform(18, w - 18),
                                                rng.uniform(18, h - 18), rng.uniform(10, 16), rng.uniform(3, 8)))])
    add("tiny_point", 16, 16, [target([[5.3, 7.9]])])
    add("tiny_segment", 16, 16, [target([[2.2, 3.7], [9.9, 6.1]])])
    add("tiny_collinear", 16, 16, [target([[1, 1], [5, 5], [9, 9]])])
    add("tiny_triangle", 16, 16, [target([[4, 4], [5, 4], [4, 5]])])
    add("tiny_square", 16, 16, [target([[7, 7], [8, 7], [8, 8], [7, 8]])])
    add("tiny_sliver", 16, 16, [target([[1.5, 2], [14.7, 3.2], [1.9, 2.8]])])
    add("border_full", 32, 24, [target([[0, 0], [32, 0], [32, 24], [0, 24]])])
    add("border_inner", 32, 24, [target([[0, 0], [31, 0], [31, 23], [0, 23]])])
    add("border_touch_left_top", 40, 40, [target([[0, 0], [25.5, 3.2], [12.4, 30.9]])])
    add("border_touch_right_bottom", 40, 40, [target([[39.9, 10.1], [39, 39], [8.8, 39.6], [20, 25]])])
    add("beyond_left", 48, 32, [target([[-20.5, 4], [30, 8.2], [10, 29], [-5, 40]])])
    add("beyond_all", 40, 40, [target([[-15, -12], [60, 5], [45, 70], [-30, 33]])])
    add("beyond_corner", 40, 30, [target([[30, -10], [55, 20], [25, 45], [20, 15]])])
    add("beyond_negative_fraction", 24, 24, [target([[-0.7, -0.4], [12.5, -0.9], [20.2, 18.8], [-1.6, 15.5]])])
    add("beyond_far", 32, 32, [target([[-400, 10], [500, 12], [470, 30], [-300, 25]])])
    add("selfx_bowtie", 40, 32, [target([[3, 3], [36, 28], [36, 3], [3, 28]])])
    add("selfx_pentagram", 48, 48, [target([[r2(24 + 20 * math.cos(math.pi / 2 + 4 * math.pi * k / 5)),
                                              r2(24 - 20 * math.sin(math.pi / 2 + 4 * math.pi * k / 5))]
                                             for k in range(5)])])
    for k in range(3):
        add(f"selfx_random{k}", 56, 48, [target(random_walk(rng, 56, 48, rng.randint(5, 11)))])
    add("axis_rect", 30, 20, [target([[3, 2], [25, 2], [25, 15], [3, 15]])])
    add("axis_steps", 40, 40, [target([[2, 2], [20, 2], [20, 10], [30, 10], [30, 30], [10, 30], [10, 20], [2, 20]])])
    add("shallow_steep", 64, 32, [target([[1, 10], [62, 12], [40, 30], [39, 1]])])
    add("duplicate_points", 32, 32, [target([[5, 5], [5, 5], [25, 8], [25, 8], [12, 27], [5, 5]])])
    add("multi_ignore_in_target", 48, 48, [target(convex(rng, 48, 48, 9, 24, 24, 18)),
                                            {"label": "ignore", "points": convex(rng, 48, 48, 6, 30, 22, 8)}])
    add("multi_target_in_ignore", 48, 48, [{"label": "Ignore_region", "points": star(rng, 48, 48, 5, 24, 24, 20, 12)},
                                            target(convex(rng, 48, 48, 5, 20, 26, 6))])
    add("multi_ignore_overlap_edge", 56, 40, [target([[4, 4], [30, 6], [28, 34], [6, 30]]),
                                               {"label": "ignore", "points": [[22, 10], [50, 12], [48, 36], [20, 32]]}])
    add("multi_flag", 40, 40, [{"label": "flag", "points": [[0, 0], [39, 0], [39, 39]]},
                               target(convex(rng, 40, 40, 7, 20, 20, 10))])
    add("multi_two_targets", 64, 48, [target(star(rng, 64, 48, 4, 20, 24, 14, 6)),
                                      target(convex(rng, 64, 48, 8, 44, 22, 12)),
                                      {"label": "ignore", "points": [[28, 10], [40, 14], [34, 40]]}])
    return out


def write_png(path, mask):
    if not cv2.imwrite(path, mask):
        raise SystemExit(f"could not write {path}")


def main():
    os.makedirs(OUT, exist_ok=True)
    doc = {
        "generator": "model-store/shapeworld/src/test/python/make_lisa_masks.py",
        "opencv": cv2.__version__,
        "numpy": np.__version__,
        "cases": cases(),
    }
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "cases.json")) as f:
        doc = json.load(f)
    files = 1
    for case in doc["cases"]:
        w, h, name = case["width"], case["height"], case["name"]
        write_png(os.path.join(OUT, name + ".png"), lisa_label_map(case["shapes"], h, w))
        files += 1
        for k, shape in enumerate(case["shapes"]):
            pts = np.array([shape["points"]], dtype=np.int32)
            lines = np.zeros((h, w), dtype=np.uint8)
            cv2.polylines(lines, pts, True, 1, 1)
            both = lines.copy()
            cv2.fillPoly(both, pts, 1)
            write_png(os.path.join(OUT, f"{name}_{k}_lines.png"), lines)
            write_png(os.path.join(OUT, f"{name}_{k}.png"), both)
            files += 2
    print(f"wrote {files} files for {len(doc['cases'])} cases to {OUT} (OpenCV {cv2.__version__})")


if __name__ == "__main__":
    main()
