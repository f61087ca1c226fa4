package io.llavaseg.ops.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * One picture per query for a person to look at: the image with the predicted mask tinted and
 * outlined in cyan, the ground truth's outline in orange where it differs, and below it the
 * question and the answer as text. Pure Java2D, headless.
 */
public final class Overlay {
  private static final Color TINT = new Color(0, 200, 255);
  private static final Color TRUTH = new Color(255, 140, 0);
  private static final int PANEL_WIDTH = 320;

  private Overlay() {}

  /**
   * @param mask row-major, one byte per image pixel (nonzero = foreground), or null for no mask
   */
  public static BufferedImage render(BufferedImage image, byte[] mask, String question, String answer, String footer) {
    return render(image, mask, null, question, answer, footer);
  }

  /**
   * @param mask the prediction, row-major, one byte per image pixel (nonzero = foreground), or null
   * @param truth the ground truth in the same layout, or null; its outline is drawn where it is not
   *     the prediction's outline
   */
  public static BufferedImage render(BufferedImage image, byte[] mask, byte[] truth, String question, String answer,
      String footer) {
    int w = image.getWidth();
    int h = image.getHeight();
    double scale = (double) PANEL_WIDTH / w;
    int pw = PANEL_WIDTH;
    int ph = (int) Math.round(h * scale);
    BufferedImage tinted = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        if (mask != null && mask[y * w + x] != 0) {
          boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1
              || mask[y * w + x - 1] == 0 || mask[y * w + x + 1] == 0
              || mask[(y - 1) * w + x] == 0 || mask[(y + 1) * w + x] == 0;
          rgb = edge ? TINT.getRGB() : blend(rgb, TINT.getRGB(), 0.55);
        }
        if (truth != null && edge(truth, w, h, x, y) && !(mask != null && edge(mask, w, h, x, y))) {
          rgb = TRUTH.getRGB();
        }
        tinted.setRGB(x, y, rgb);
      }
    }
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D sg = scratch.createGraphics();
    FontMetrics fm = sg.getFontMetrics(font);
    sg.dispose();
    List<String> lines = new ArrayList<>();
    lines.addAll(wrap("Q: " + question, fm, pw - 12));
    lines.addAll(wrap("A: " + answer, fm, pw - 12));
    if (footer != null && !footer.isEmpty()) {
      lines.addAll(wrap(footer, fm, pw - 12));
    }
    int lineH = fm.getHeight();
    int textH = lines.size() * lineH + 10;
    BufferedImage out = new BufferedImage(pw, ph + textH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.drawImage(tinted, 0, 0, pw, ph, null);
    g.setColor(new Color(250, 250, 250));
    g.fillRect(0, ph, pw, textH);
    g.setColor(new Color(200, 200, 200));
    g.setStroke(new BasicStroke(1));
    g.drawLine(0, ph, pw, ph);
    g.setFont(font);
    g.setColor(new Color(20, 20, 20));
    int y = ph + 5 + fm.getAscent();
    for (String line : lines) {
      g.drawString(line, 6, y);
      y += lineH;
    }
    g.dispose();
    return out;
  }

  /** Whether (x, y) is a foreground pixel of {@code m} with a background (or border) neighbour. */
  static boolean edge(byte[] m, int w, int h, int x, int y) {
    if (m[y * w + x] == 0) {
      return false;
    }
    return x == 0 || y == 0 || x == w - 1 || y == h - 1 || m[y * w + x - 1] == 0 || m[y * w + x + 1] == 0
        || m[(y - 1) * w + x] == 0 || m[(y + 1) * w + x] == 0;
  }

  private static int blend(int a, int b, double t) {
    int r = (int) Math.round(((a >> 16) & 255) * (1 - t) + ((b >> 16) & 255) * t);
    int gr = (int) Math.round(((a >> 8) & 255) * (1 - t) + ((b >> 8) & 255) * t);
    int bl = (int) Math.round((a & 255) * (1 - t) + (b & 255) * t);
    return (r << 16) | (gr << 8) | bl;
  }

  static List<String> wrap(String text, FontMetrics fm, int maxWidth) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.replaceAll("\\p{Cntrl}", " ").split(" ")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (fm.stringWidth(candidate) > maxWidth && !line.isEmpty()) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }
}
