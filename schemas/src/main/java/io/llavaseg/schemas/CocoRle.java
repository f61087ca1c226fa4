package io.llavaseg.schemas;

import java.util.Arrays;

/**
 * COCO's uncompressed run-length encoding of a binary mask, the format of {@code
 * ImageMask.rle_counts}: pixels are visited in column-major order (x outer, y inner; pycocotools'
 * Fortran order), and the counts alternate run lengths of background and foreground, starting
 * with background (a leading 0 when pixel (0,0) is foreground). {@code {"size": [height, width],
 * "counts": counts}} is a valid COCO RLE. The counts sum to width*height; an empty mask is {@code
 * [width*height]}, a full one {@code [0, width*height]}; there are no zero-length runs other than
 * that leading one.
 *
 * <p>Masks here are row-major byte arrays ({@code pixels[y * width + x]}), any non-zero byte is
 * foreground. {@link #toCompressedString} / {@link #fromCompressedString} convert to and from
 * pycocotools' compressed string form (the {@code counts} string of COCO result files). Checked
 * against masks encoded by pycocotools 2.0.11 (test resource {@code coco/pycocotools_rle.json}).
 */
public final class CocoRle {
  private CocoRle() {}

  /** Encodes a row-major mask of {@code width} x {@code height} pixels (non-zero = foreground). */
  public static long[] encode(byte[] rowMajorPixels, int width, int height) {
    checkSize(width, height);
    if (rowMajorPixels == null || rowMajorPixels.length != (long) width * height) {
      throw new IllegalArgumentException("mask has " + (rowMajorPixels == null ? "no" :
          rowMajorPixels.length) + " pixels, expected " + width + "x" + height);
    }
    long[] counts = new long[8];
    int n = 0;
    boolean current = false; // runs start with background
    long run = 0;
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        boolean fg = rowMajorPixels[y * width + x] != 0;
        if (fg != current) {
          if (n == counts.length) {
            counts = Arrays.copyOf(counts, n * 2);
          }
          counts[n++] = run;
          run = 0;
          current = fg;
        }
        run++;
      }
    }
    if (n == counts.length) {
      counts = Arrays.copyOf(counts, n + 1);
    }
    counts[n++] = run;
    return Arrays.copyOf(counts, n);
  }

  /**
   * Decodes counts into a row-major mask with 1 for foreground and 0 for background.
   *
   * @throws IllegalArgumentException if a count is negative or they do not sum to width*height
   */
  public static byte[] decode(long[] counts, int width, int height) {
    checkCounts(counts, width, height);
    byte[] pixels = new byte[width * height];
    long position = 0; // column-major index
    for (int i = 0; i < counts.length; i++) {
      long end = position + counts[i];
      if (i % 2 == 1) {
        for (long p = position; p < end; p++) {
          int x = (int) (p / height);
          int y = (int) (p % height);
          pixels[y * width + x] = 1;
        }
      }
      position = end;
    }
    return pixels;
  }

  /** Number of foreground pixels (the sum of the odd-indexed runs). */
  public static long area(long[] counts) {
    long area = 0;
    for (int i = 1; i < counts.length; i += 2) {
      area += counts[i];
    }
    return area;
  }

  /**
   * COCO bounding box {@code [x, y, width, height]} of the foreground, {@code [0, 0, 0, 0]} when
   * the mask is empty.
   */
  public static int[] bbox(long[] counts, int width, int height) {
    checkCounts(counts, width, height);
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = -1;
    int maxY = -1;
    long position = 0;
    for (int i = 0; i < counts.length; i++) {
      long start = position;
      long end = position + counts[i];
      position = end;
      if (i % 2 == 0 || counts[i] == 0) {
        continue;
      }
      int x0 = (int) (start / height);
      int x1 = (int) ((end - 1) / height);
      minX = Math.min(minX, x0);
      maxX = Math.max(maxX, x1);
      if (x1 > x0) { // the run continues past a column's bottom into the next column's top
        minY = 0;
        maxY = height - 1;
      } else {
        minY = Math.min(minY, (int) (start % height));
        maxY = Math.max(maxY, (int) ((end - 1) % height));
      }
    }
    if (maxX < 0) {
      return new int[] {0, 0, 0, 0};
    }
    return new int[] {minX, minY, maxX - minX + 1, maxY - minY + 1};
  }

  /**
   * pycocotools' compressed form of counts ({@code rleToString}): each count, minus the count two
   * runs before it from the third on, as a little-endian base-32 varint with sign, 6 bits per
   * character offset by 48.
   */
  public static String toCompressedString(long[] counts) {
    StringBuilder sb = new StringBuilder(counts.length * 2);
    for (int i = 0; i < counts.length; i++) {
      long x = counts[i];
      if (i > 2) {
        x -= counts[i - 2];
      }
      boolean more = true;
      while (more) {
        long c = x & 0x1f;
        x >>= 5;
        more = (c & 0x10) != 0 ? x != -1 : x != 0;
        if (more) {
          c |= 0x20;
        }
        sb.append((char) (c + 48));
      }
    }
    return sb.toString();
  }

  /**
   * Parses pycocotools' compressed counts string ({@code rleFrString}) back into counts.
   *
   * @throws IllegalArgumentException on characters outside the alphabet or a cut-off number
   */
  public static long[] fromCompressedString(String s) {
    long[] counts = new long[Math.max(1, s.length())];
    int m = 0;
    int p = 0;
    while (p < s.length()) {
      long x = 0;
      int k = 0;
      boolean more = true;
      while (more) {
        if (p >= s.length()) {
          throw new IllegalArgumentException("compressed RLE ends inside a number: " + s);
        }
        int c = s.charAt(p) - 48;
        if (c < 0 || c > 63) {
          throw new IllegalArgumentException("invalid character '" + s.charAt(p) + "' in " + s);
        }
        x |= (long) (c & 0x1f) << (5 * k);
        more = (c & 0x20) != 0;
        p++;
        k++;
        if (!more && (c & 0x10) != 0) {
          x |= -1L << (5 * k);
        }
      }
      if (m > 2) {
        x += counts[m - 2];
      }
      counts[m++] = x;
    }
    return Arrays.copyOf(counts, m);
  }

  private static void checkSize(int width, int height) {
    if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("invalid mask size " + width + "x" + height);
    }
  }

  private static void checkCounts(long[] counts, int width, int height) {
    checkSize(width, height);
    if (counts == null) {
      throw new IllegalArgumentException("counts is null");
    }
    long sum = 0;
    for (long c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("negative run length " + c);
      }
      sum += c;
    }
    if (sum != (long) width * height) {
      throw new IllegalArgumentException(
          "runs sum to " + sum + ", expected " + width + "x" + height + " = " + (long) width * height);
    }
  }
}
