package io.llavaseg.model.lisa;

import io.llavaseg.model.BinaryMask;

/**
 * What the LISA variant returns for one question: the reply as decoded ({@code <seg>} in it when the
 * model asked for a mask), the mask at the image's size (empty without {@code <seg>}), and the time
 * spent on the reply (vision, prompt and generated tokens) and on the mask.
 */
public record LisaReply(String text, boolean segmented, BinaryMask mask, double replyMs, double maskMs) {

  /** The reply without the {@code <seg>} token, as a user would read it ("It is ."). */
  public String answer() {
    return text.replace(" " + LisaFolder.SEG_TOKEN, "").replace(LisaFolder.SEG_TOKEN, "").strip();
  }
}
