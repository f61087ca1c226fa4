/**
 * ShapeWorld, the project's rendered world (docs/shapeworld.md): a deterministic generator of
 * scenes (8 shapes, 11 colours, 3 sizes, a 3x3 location grid, backgrounds, overlap, blur, noise and
 * JPEG artefacts) and of queries of every {@link io.llavaseg.shapeworld.QueryKind}, each sample
 * carrying its chain-of-thought ground truth (answer, target, attributes) and the target's visible
 * mask. Entry point: {@link io.llavaseg.shapeworld.ShapeWorld}. Rendering styles ({@link
 * io.llavaseg.shapeworld.Style}, training or held-out; {@link io.llavaseg.shapeworld.TrainingStyles}
 * for the trainers) vary how scenes look: sizes, backgrounds, strokes, light, blur, noise, JPEG,
 * tilt, perspective and occluders (docs/styles.md).
 */
package io.llavaseg.shapeworld;
