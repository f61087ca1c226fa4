package io.llavaseg.ops.demo;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Renders a local HTML page to PNG with headless Chromium (Debian's {@code chromium} package), with
 * the flags that keep it off the network. Used to check that the demo page really renders.
 */
public final class PageScreenshot {
  private PageScreenshot() {}

  /** The Chromium binary, if installed. */
  public static Optional<Path> chromium() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      Path p = Path.of(candidate);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  public static BufferedImage capture(Path chromium, Path page, Path png, int width, int height)
      throws IOException, InterruptedException {
    return capture(chromium, page.toAbsolutePath().toUri(), png, width, height);
  }

  /** As above for a page served over HTTP (e.g. {@code watch}'s). */
  public static BufferedImage capture(Path chromium, java.net.URI page, Path png, int width, int height)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("llavaseg-chromium");
    List<String> cmd = List.of(
        chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(),
        page.toString());
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(png.resolveSibling("chromium.log").toFile()))
        .start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("chromium did not finish in 90 s");
    }
    if (!Files.exists(png)) {
      throw new IOException("chromium wrote no screenshot (exit " + process.exitValue() + "), see chromium.log");
    }
    return ImageIO.read(png.toFile());
  }

  /** Number of distinct colours in a 4-bit-per-channel quantisation: 1 for a blank page. */
  public static int distinctColours(BufferedImage image) {
    boolean[] seen = new boolean[4096];
    int n = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y);
        int q = ((rgb >> 20) & 15) << 8 | ((rgb >> 12) & 15) << 4 | ((rgb >> 4) & 15);
        if (!seen[q]) {
          seen[q] = true;
          n++;
        }
      }
    }
    return n;
  }
}
