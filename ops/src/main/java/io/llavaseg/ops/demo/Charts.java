package io.llavaseg.ops.demo;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small inline SVG charts for the demo page: no script, no library, readable in any browser. */
final class Charts {
  private static final int WIDTH = 420;
  private static final int ROW = 18;

  private Charts() {}

  /** Horizontal bars of values in [0, 1], one per label, the value printed beside each bar. */
  static String bars(String title, Map<String, Double> values) {
    int h = 24 + ROW * values.size();
    StringBuilder svg = header(title, h);
    int y = 20;
    for (Map.Entry<String, Double> e : values.entrySet()) {
      double v = e.getValue() == null || e.getValue().isNaN() ? 0 : Math.max(0, Math.min(1, e.getValue()));
      int w = (int) Math.round(v * 240);
      svg.append(String.format(Locale.ROOT,
          "<text x=\"0\" y=\"%d\" font-size=\"12\">%s</text><rect x=\"110\" y=\"%d\" width=\"%d\" height=\"12\""
              + " fill=\"#1f8fd6\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%.3f</text>%n",
          y + 11, IndexPage.escape(e.getKey()), y + 1, w, 116 + w, y + 11, e.getValue()));
      y += ROW;
    }
    return svg.append("</svg>").toString();
  }

  /** A histogram of {@code values} in {@code bins} equal bins from 0 to the largest value. */
  static String histogram(String title, List<Double> values, int bins, String unit) {
    int h = 150;
    StringBuilder svg = header(title, h);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    int[] counts = new int[bins];
    for (double v : values) {
      counts[Math.min(bins - 1, (int) (v / max * bins))]++;
    }
    int top = java.util.Arrays.stream(counts).max().orElse(1);
    double bw = 380.0 / bins;
    for (int i = 0; i < bins; i++) {
      int bh = top == 0 ? 0 : (int) Math.round(100.0 * counts[i] / top);
      svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#1f8fd6\">"
          + "<title>%d</title></rect>%n", 20 + i * bw, 120 - bh, bw - 1, bh, counts[i]));
    }
    svg.append(String.format(Locale.ROOT, "<line x1=\"20\" y1=\"120\" x2=\"400\" y2=\"120\" stroke=\"#444\"/>"
        + "<text x=\"20\" y=\"136\" font-size=\"11\">0</text><text x=\"400\" y=\"136\" font-size=\"11\""
        + " text-anchor=\"end\">%.0f %s</text><text x=\"210\" y=\"148\" font-size=\"11\" text-anchor=\"middle\">"
        + "%d queries</text>%n", max, unit, values.size()));
    return svg.append("</svg>").toString();
  }

  private static StringBuilder header(String title, int h) {
    return new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">"
            + "<text x=\"0\" y=\"12\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
        WIDTH, h, IndexPage.escape(title), IndexPage.escape(title)));
  }
}
