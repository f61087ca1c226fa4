package io.llavaseg.model.reasoner;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * Passes {@link ReasonerBlock}'s tensors through unchanged (an image batch in, the prefix cache out;
 * or new tokens plus cache in, logits plus extended cache out) and moves the outputs to the manager
 * of the first input, so that they outlive the predictor's per-call context. Tokenisation, image
 * preprocessing and the greedy loop live in {@link ReasonerChat}: one chat turn is many forward
 * passes, as with DJL's own {@code TextGenerator}.
 */
public final class ReasonerTranslator implements NoBatchifyTranslator<NDList, NDList> {
  private static final String OWNER = "owner";

  @Override
  public NDList processInput(TranslatorContext ctx, NDList input) {
    ctx.setAttachment(OWNER, input.head().getManager());
    return input;
  }

  @Override
  public NDList processOutput(TranslatorContext ctx, NDList list) {
    list.attach((NDManager) ctx.getAttachment(OWNER));
    return list;
  }
}
