/**
 * SAM 2 as the project's {@link io.llavaseg.model.Segmenter}: a TorchScript SAM 2 folder (as DJL's
 * own export writes it) loaded through DJL's {@code Sam2Translator} by {@link
 * io.llavaseg.model.sam2.Sam2Models#segmenter}, prompted with the reasoner's box or, without one,
 * with a point from its location words ({@link io.llavaseg.model.sam2.LocationGrid}). Inference only;
 * no configuration keys or topology wiring live here.
 */
package io.llavaseg.model.sam2;
