#!/usr/bin/env python3
"""Writes tiny-sam2/, a few-kB TorchScript model with SAM 2's exported signature, for the tests.

DJL's Sam2Translator (DJL 0.36, serving.properties ``encode_method=encode``) calls two methods of
one TorchScript module, as DJL's own SAM 2 export (examples/docs/trace_sam2_img.py) traces them:

  encode(image float32[1, 3, 1024, 1024])            # resized, ImageNet mean/std normalised
      -> (high_res_feats_0, high_res_feats_1, image_embed)
  forward(image_embed, high_res_feats_0, high_res_feats_1,
          point_coords float32[1, N, 2],             # x, y in the 1024x1024 input's pixels
          point_labels float32[1, N],                # 1 fg point, 0 bg point, 2/3 box corners
          mask_input float32[1, 1, 256, 256], has_mask_input float32[1])
      -> (mask_logits float32[1, M, h, w], iou_predictions float32[1, M])

This model keeps that signature with fixed, hand-set weights so that a test can predict its answer
(it is not SAM 2 and learns nothing):

* encode: a 1x1 convolution averages the normalised channels (brightness: positive on light
  pixels, negative on dark ones) and 4x4 average pooling brings it to 256x256 (high_res_feats_0,
  one channel; the other two outputs are further poolings of it, 128x128 and 64x64).
* forward: the prompt region on the 256x256 grid is the union of discs of radius 160 (in the
  1024x1024 input's pixels) around the foreground points and of the box (labels 2 and 3). Three
  candidate masks come back: [light pixels anywhere, prompt region AND light pixels, NOT prompt
  region] with predicted IoUs [0.25, 0.5 + 0.5 * (light fraction of the region), 0.125]. So the
  candidate DJL must keep (highest IoU) is the second one: the light pixels inside the prompt.

Run with Debian's python3-torch (1.13): /usr/bin/python3 make_tiny_sam2.py [OUT_DIR]
(default: ../resources/tiny-sam2 next to this script). The result loads in DJL's PyTorch 2.7.1.
"""
import os
import sys
from typing import Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

INPUT = 1024  # SAM 2's input size; Sam2Translator resizes every image to it
RADIUS = 160.0  # disc radius around a point prompt, in the 1024x1024 input's pixels


class TinySam2(nn.Module):

    def __init__(self) -> None:
        super().__init__()
        self.input_size = float(INPUT)
        self.radius = RADIUS
        self.brightness = nn.Conv2d(3, 1, 1)
        with torch.no_grad():
            self.brightness.weight.fill_(1.0 / 3.0)
            self.brightness.bias.zero_()

    @torch.jit.export
    def encode(self, x: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        light = F.avg_pool2d(self.brightness(x), 4)  # [1, 1, 256, 256]
        return light, F.avg_pool2d(light, 2), F.avg_pool2d(light, 8)

    def forward(self, image_embed: Tensor, high_res_feats_0: Tensor, high_res_feats_1: Tensor,
                point_coords: Tensor, point_labels: Tensor, mask_input: Tensor,
                has_mask_input: Tensor) -> Tuple[Tensor, Tensor]:
        light = high_res_feats_0[:, 0]  # [1, h, w]
        h = light.shape[1]
        w = light.shape[2]
        # centres of the grid cells, in the 1024x1024 input's pixels
        xs = ((torch.arange(w, dtype=torch.float32) + 0.5) * (self.input_size / w)).view(1, 1, w, 1)
        ys = ((torch.arange(h, dtype=torch.float32) + 0.5) * (self.input_size / h)).view(1, h, 1, 1)
        n = point_coords.shape[1]
        px = point_coords[:, :, 0].reshape(1, 1, 1, n)
        py = point_coords[:, :, 1].reshape(1, 1, 1, n)
        labels = point_labels.reshape(1, 1, 1, n)
        is_point = (labels == 1).float()
        is_tl = (labels == 2).float()
        is_br = (labels == 3).float()

        near = (((xs - px) ** 2 + (ys - py) ** 2) <= self.radius * self.radius).float()
        discs = (near * is_point).amax(dim=3)  # [1, h, w]

        boxes = is_tl.sum(dim=3, keepdim=True)
        denom = boxes.clamp(min=1.0)
        x0 = (px * is_tl).sum(dim=3, keepdim=True) / denom
        y0 = (py * is_tl).sum(dim=3, keepdim=True) / denom
        x1 = (px * is_br).sum(dim=3, keepdim=True) / denom
        y1 = (py * is_br).sum(dim=3, keepdim=True) / denom
        inside = ((xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)).float() * (boxes > 0).float()
        region = torch.maximum(discs, inside[:, :, :, 0])  # [1, h, w], 0 or 1

        region_logit = 16.0 * region - 8.0
        target = torch.minimum(region_logit, 4.0 * light)
        masks = torch.stack([4.0 * light, target, -region_logit], dim=1)  # [1, 3, h, w]

        covered = (region * (light > 0).float()).sum()
        coverage = covered / region.sum().clamp(min=1.0)
        iou = torch.stack([torch.full_like(coverage, 0.25), 0.5 + 0.5 * coverage,
                           torch.full_like(coverage, 0.125)]).reshape(1, 3)
        return masks, iou


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "resources", "tiny-sam2")
    os.makedirs(out, exist_ok=True)
    model = torch.jit.script(TinySam2().eval())

    # self-check: a light square, prompted with a box around it and with a point inside it
    image = torch.full((1, 3, INPUT, INPUT), -2.0)
    image[:, :, 400:600, 300:500] = 2.0
    feats = model.encode(image)
    no_mask = torch.zeros(1, 1, 256, 256)
    for coords, labels in [([[280.0, 380.0], [520.0, 620.0]], [2.0, 3.0]), ([[400.0, 500.0]], [1.0])]:
        masks, iou = model(feats[2], feats[0], feats[1], torch.tensor([coords]),
                           torch.tensor([labels]), no_mask, torch.zeros(1))
        best = int(iou.argmax())
        fg = (masks[0, best] > 0).nonzero()
        print("labels", labels, "iou", [round(v, 3) for v in iou[0].tolist()], "best", best,
              "cells", fg.shape[0], "rows", int(fg[:, 0].min()), int(fg[:, 0].max()),
              "cols", int(fg[:, 1].min()), int(fg[:, 1].max()))
        assert best == 1 and fg.shape[0] > 0

    path = os.path.join(out, "tiny-sam2.pt")
    model.save(path)
    with open(os.path.join(out, "serving.properties"), "w") as f:
        f.write("# Written by model-store/sam2/src/test/python/make_tiny_sam2.py: SAM 2's DJL\n"
                "# signature with fixed weights, for tests only (not SAM 2).\n"
                "engine=PyTorch\n"
                "option.modelName=tiny-sam2\n"
                "translatorFactory=ai.djl.modality.cv.translator.Sam2TranslatorFactory\n"
                "encode_method=encode\n"
                "name=tiny-sam2\n"
                "version=test\n")
    print("wrote", path, os.path.getsize(path), "bytes, torch", torch.__version__)


if __name__ == "__main__":
    main()
