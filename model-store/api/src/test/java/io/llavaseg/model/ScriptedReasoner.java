package io.llavaseg.model;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Test double: replies by prompt and records the prompts it was asked, in order. */
public final class ScriptedReasoner implements Reasoner {
  public final List<String> asked = new ArrayList<>();
  private final Function<String, String> replies;

  public ScriptedReasoner(Function<String, String> replies) {
    this.replies = replies;
  }

  @Override
  public ImageChat open(BufferedImage image) {
    return new ImageChat() {
      @Override
      public double visionMs() {
        return 1;
      }

      @Override
      public Generation ask(String prompt) {
        asked.add(prompt);
        return new Generation(replies.apply(prompt), 5, 3, "stop", 0.5, 0.5);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public ModelId modelId() {
    return new ModelId("scripted", "t", "cpu()");
  }

  @Override
  public void close() {}
}
