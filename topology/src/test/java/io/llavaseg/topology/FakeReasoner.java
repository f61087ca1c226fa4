package io.llavaseg.topology;

import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deterministic test double of a reasoner for the default prompt templates. The target is "the "
 * plus the question's last word; "how many ..." questions have none; a question containing
 * "gibberish" gets an unparseable target reply; one containing "explode" makes the reasoner throw;
 * one containing "crash" throws an Error once {@link #CRASH_ONCE} is set; while {@link #OUTAGE} is
 * set, every question containing "outage" finds the model unavailable (its server down).
 * The attributes line names the target's last word as its shape. Counts workers alive.
 */
public final class FakeReasoner implements Reasoner {
  public static final ModelId ID = new ModelId("fake-reasoner", "t1", "cpu()");
  public static final AtomicInteger OPEN = new AtomicInteger();
  /** When set, the next question containing "crash" throws an Error (not caught by the topology), once. */
  public static final java.util.concurrent.atomic.AtomicBoolean CRASH_ONCE =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** While set, questions containing "outage" throw {@link io.llavaseg.model.ModelUnavailableException}. */
  public static final java.util.concurrent.atomic.AtomicBoolean OUTAGE = new java.util.concurrent.atomic.AtomicBoolean();

  private final Thread thread = Thread.currentThread();
  private boolean closed;

  public FakeReasoner() {
    OPEN.incrementAndGet();
  }

  public Thread thread() {
    return thread;
  }

  public boolean isClosed() {
    return closed;
  }

  static String lastWord(String text) {
    String[] words = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", " ").strip().split("\\s+");
    return words[words.length - 1];
  }

  @Override
  public ImageChat open(BufferedImage image) {
    if (closed) {
      throw new IllegalStateException("reasoner used after close");
    }
    return new ImageChat() {
      @Override
      public double visionMs() {
        return 1.0;
      }

      @Override
      public Generation ask(String prompt) {
        String text;
        String describe = "Describe the colour, shape, size and location of ";
        String targetSuffix = " What is the target region? Answer with a short description.";
        int at = prompt.indexOf(describe);
        if (at >= 0) {
          String target = prompt.substring(at + describe.length(), prompt.length() - 1);
          text = "color: red; shape: " + lastWord(target) + "; size: small; location: top left";
        } else if (prompt.endsWith(targetSuffix)) {
          String question = prompt.substring(0, prompt.length() - targetSuffix.length());
          if (question.contains("outage") && OUTAGE.get()) {
            throw new io.llavaseg.model.ModelUnavailableException("connection refused (simulated server outage)");
          }
          if (question.contains("explode")) {
            throw new IllegalStateException("model exploded");
          }
          if (question.contains("crash") && CRASH_ONCE.compareAndSet(true, false)) {
            throw new AssertionError("simulated crash of the process");
          }
          String q = question.toLowerCase(Locale.ROOT);
          text = q.startsWith("how many") ? "none" : q.contains("gibberish") ? "Gibberish!!" : "the " + lastWord(q);
        } else {
          text = "answer to: " + prompt;
        }
        return new Generation(text, 3, 4, "stop", 0.5, 1.5);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public ModelId modelId() {
    return ID;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      OPEN.decrementAndGet();
    }
  }
}
