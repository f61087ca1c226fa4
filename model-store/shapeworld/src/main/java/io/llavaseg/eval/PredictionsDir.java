package io.llavaseg.eval;

import io.llavaseg.model.BinaryMask;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Predictions stored as files: {@code NAME.png} is the mask of sample {@code NAME} (a pixel is
 * foreground when any colour band of it is nonzero, alpha ignored; gray, RGB(A), palette or 16-bit
 * PNGs all work), and an
 * optional {@code NAME.txt} holds the dialogue answer (UTF-8, trimmed). A missing PNG is an
 * empty, reported-as-missing prediction; a PNG that does not decode or whose size differs from
 * the image is an error naming the file.
 */
public final class PredictionsDir implements MaskSource {
  private final Path dir;

  public PredictionsDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": predictions directory does not exist");
    }
    this.dir = dir;
  }

  @Override
  public Prediction predict(DatasetSample sample) throws DatasetException {
    Path png = dir.resolve(sample.name() + ".png");
    if (!Files.isRegularFile(png)) {
      return Prediction.missing(sample.width(), sample.height());
    }
    BufferedImage img;
    try {
      img = ImageIO.read(png.toFile());
    } catch (IOException | RuntimeException e) {
      throw new DatasetException(png, "prediction does not decode: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new DatasetException(png, "prediction does not decode (not a PNG?)");
    }
    if (img.getWidth() != sample.width() || img.getHeight() != sample.height()) {
      throw new DatasetException(png, "prediction is " + img.getWidth() + "x" + img.getHeight()
          + " but image " + sample.imageFile().getFileName() + " is " + sample.width() + "x" + sample.height());
    }
    BinaryMask mask = toMask(img);
    Path txt = dir.resolve(sample.name() + ".txt");
    String answer = null;
    if (Files.isRegularFile(txt)) {
      try {
        answer = Files.readString(txt, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new DatasetException(txt, "cannot read answer: " + e.getMessage(), e);
      }
    }
    return Prediction.of(mask, answer);
  }

  /** Foreground wherever any band is nonzero. */
  static BinaryMask toMask(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    Raster r = img.getRaster();
    byte[] px = new byte[w * h];
    if (img.getColorModel() instanceof IndexColorModel) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          px[y * w + x] = (byte) ((img.getRGB(x, y) & 0xFFFFFF) != 0 ? 1 : 0);
        }
      }
      return new BinaryMask(w, h, px);
    }
    int bands = r.getNumBands();
    int colourBands = img.getColorModel().hasAlpha() ? bands - 1 : bands;
    int[] row = new int[w * bands];
    for (int y = 0; y < h; y++) {
      r.getPixels(0, y, w, 1, row);
      for (int x = 0; x < w; x++) {
        for (int b = 0; b < colourBands; b++) {
          if (row[x * bands + b] != 0) {
            px[y * w + x] = 1;
            break;
          }
        }
      }
    }
    return new BinaryMask(w, h, px);
  }

  @Override
  public String describe() {
    return "predictions-dir " + dir;
  }
}
