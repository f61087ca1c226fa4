package io.llavaseg.topology.model;

import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.cot.PromptTemplates;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the two processors need from the models: a factory of per-thread reasoner workers, one of
 * segmenter workers (each call makes a new worker, e.g. {@code ModelHandle::newWorker}), and the
 * chain-of-thought prompts. A factory may be null when its stage is not run by this instance.
 */
public record Models(
    Supplier<? extends Reasoner> reasoners, Supplier<? extends Segmenter> segmenters, PromptTemplates prompts) {

  public Models {
    Objects.requireNonNull(prompts, "prompts");
  }
}
