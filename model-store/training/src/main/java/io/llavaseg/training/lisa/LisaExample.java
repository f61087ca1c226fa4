package io.llavaseg.training.lisa;

import io.llavaseg.shapeworld.QueryKind;

/**
 * One training example of the LISA variant: the reasoner's pixels, one conversation row ({@code
 * tokens} = bos, the answer prompt, sep, reply, eos; the reply starts at {@code replyStart}), per input
 * position the pointer key fed with it ({@code fed}) and the pointer's label at that position ({@code
 * pointer}, -1 for none), the position whose output predicts {@code <seg>} ({@code segAt}, -1 when the
 * reply has none) and then the segmenter's letterboxed input and target mask (null otherwise).
 */
public record LisaExample(float[] pixels, int[] tokens, int replyStart, long[] fed, int[] pointer, int segAt,
    float[] segInput, float[] segTarget, QueryKind kind) {

  public boolean segments() {
    return segAt >= 0;
  }
}
