/**
 * How a model is run, as a plug-in: {@link io.llavaseg.model.backend.ReasonerBackend} and {@link
 * io.llavaseg.model.backend.SegmenterBackend}, found with {@link java.util.ServiceLoader} and chosen
 * by configuration, with the settings each declares. No implementation here.
 */
package io.llavaseg.model.backend;
