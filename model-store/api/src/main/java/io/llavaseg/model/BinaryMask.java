package io.llavaseg.model;

import java.util.Arrays;

/**
 * A binary mask at an image's size, row-major, one byte per pixel (0 or 1). The bounding box is
 * {@code [x, y, width, height]} in pixels, COCO style; all zeros when the mask is empty.
 */
public final class BinaryMask {
  private final int width;
  private final int height;
  private final byte[] pixels;

  public BinaryMask(int width, int height, byte[] pixels) {
    if (width <= 0 || height <= 0 || pixels.length != width * height) {
      throw new IllegalArgumentException(
          "mask " + width + "x" + height + " needs " + (long) width * height + " pixels, got " + pixels.length);
    }
    this.width = width;
    this.height = height;
    this.pixels = pixels;
  }

  public static BinaryMask empty(int width, int height) {
    return new BinaryMask(width, height, new byte[width * height]);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The backing row-major pixels (0 or 1); not copied. */
  public byte[] pixels() {
    return pixels;
  }

  public boolean get(int x, int y) {
    return pixels[y * width + x] != 0;
  }

  public long area() {
    long n = 0;
    for (byte p : pixels) {
      n += p != 0 ? 1 : 0;
    }
    return n;
  }

  public boolean isEmpty() {
    return area() == 0;
  }

  /** {@code [x, y, width, height]} of the set pixels, or {@code [0, 0, 0, 0]} when empty. */
  public int[] bbox() {
    int minX = width, minY = height, maxX = -1, maxY = -1;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (pixels[y * width + x] != 0) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    return maxX < 0 ? new int[4] : new int[] {minX, minY, maxX - minX + 1, maxY - minY + 1};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BinaryMask m
        && m.width == width
        && m.height == height
        && Arrays.equals(m.pixels, pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(pixels);
  }
}
