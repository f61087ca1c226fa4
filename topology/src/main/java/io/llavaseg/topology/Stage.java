package io.llavaseg.topology;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The stages an instance can run ({@code llavaseg.stages}). {@link #REASONING} reads {@code
 * image-queries} and writes {@code image-answers} and {@code image-queries-reasoned}; {@link
 * #SEGMENTATION} reads {@code image-queries-reasoned} and writes {@code image-masks}; {@link
 * #STANDING} (opt-in) reads {@code camera-frames} and the compacted {@code camera-queries} and
 * writes one {@code image-queries} record per frame and active question (skips to {@code
 * camera-frames-skipped}). All write dead letters to {@code image-queries-dlq}. Running them in separate instances (same or different
 * {@code application.id}) scales them separately; the intermediate topic is the hand-off either way.
 */
public enum Stage {
  REASONING,
  SEGMENTATION,
  STANDING;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a comma-separated list such as {@code reasoning,segmentation}; at least one stage. */
  public static Set<Stage> parseList(String text) {
    Set<Stage> stages = EnumSet.noneOf(Stage.class);
    for (String part : text.split(",")) {
      String name = part.strip();
      if (name.isEmpty()) {
        continue;
      }
      try {
        stages.add(Stage.valueOf(name.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            ServiceConfig.STAGES + ": unknown stage '" + name + "' (expected reasoning, segmentation, standing)");
      }
    }
    if (stages.isEmpty()) {
      throw new IllegalArgumentException(ServiceConfig.STAGES + " names no stage: '" + text + "'");
    }
    return stages;
  }
}
