package io.llavaseg.eval;

import java.util.Locale;

/** One ReasonSeg annotation shape: a label and its polygon ({@code {x, y}} vertices in pixels). */
public record LabeledPolygon(String label, double[][] points) {

  /** LISA skips shapes labelled exactly "flag" (case-insensitive): deprecated annotations. */
  public boolean isFlag() {
    return label.toLowerCase(Locale.ROOT).equals("flag");
  }

  /** LISA marks shapes whose label contains "ignore" (case-insensitive) with 255: not scored. */
  public boolean isIgnore() {
    return label.toLowerCase(Locale.ROOT).contains("ignore");
  }
}
