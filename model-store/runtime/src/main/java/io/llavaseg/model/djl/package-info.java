/**
 * The {@code djl} backends: the project's own reasoner and segmenter folders, loaded in-process on
 * DJL's PyTorch engine, registered for {@link java.util.ServiceLoader}.
 */
package io.llavaseg.model.djl;
