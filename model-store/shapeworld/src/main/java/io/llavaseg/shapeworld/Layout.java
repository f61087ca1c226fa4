package io.llavaseg.shapeworld;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A scene before rendering: the background and the objects with their full and visible masks.
 * Built so that every object is at least 60% visible (so any target is at least 50% visible after
 * antialiasing), overlapping objects never share a colour, no object lies wholly inside an
 * earlier one (so every visible region is hole-free and can be written as polygons), and every
 * object colour contrasts with the background. Objects are placed in a 3x3 grid cell away from the cell's borders, so that
 * their location word is clear.
 */
final class Layout {
  static final double MIN_VISIBLE = 0.6;

  final int width;
  final int height;
  final Background background;
  final List<SceneObject> objects = new ArrayList<>();
  final List<byte[]> full = new ArrayList<>();
  final List<byte[]> visible = new ArrayList<>();
  final List<int[]> boxes = new ArrayList<>(); // x0, y0, x1, y1 inclusive, clipped
  final List<int[]> areas = new ArrayList<>(); // full, visible
  final List<double[][]> occluders = new ArrayList<>();
  /** The tilt/keystone the objects were moved by (the background is warped alike); null: none. */
  Homography warp;

  private Layout(int width, int height, Background background) {
    this.width = width;
    this.height = height;
    this.background = background;
  }

  /**
   * A random layout of 2 to 6 objects. Later objects often share the shape or the colour of an
   * earlier one (distractors), sometimes both. With {@code duplicate}, the second object always
   * copies the first one's shape and colour.
   */
  static Layout random(SplittableRandom rng, int width, int height, boolean duplicate) {
    return random(rng, width, height, duplicate, Background.random(rng));
  }

  /** As {@link #random(SplittableRandom, int, int, boolean)} on a given background. */
  static Layout random(SplittableRandom rng, int width, int height, boolean duplicate, Background background) {
    Layout l = new Layout(width, height, background);
    int n = rng.nextInt(2, 7);
    boolean[] usedCell = new boolean[9];
    for (int i = 0; i < n; i++) {
      for (int attempt = 0; attempt < 40; attempt++) {
        if (l.tryAdd(rng, usedCell, duplicate && i == 1)) {
          break;
        }
      }
    }
    return l;
  }

  private boolean tryAdd(SplittableRandom rng, boolean[] usedCell, boolean copyFirst) {
    Shape shape;
    Colour colour;
    int k = objects.size();
    double r = rng.nextDouble();
    if (k == 0) {
      shape = randomShape(rng);
      colour = randomColour(rng);
    } else {
      SceneObject ref = copyFirst ? objects.get(0) : objects.get(rng.nextInt(k));
      if (copyFirst || r < 0.12) {
        shape = ref.shape();
        colour = ref.colour();
      } else if (r < 0.42) {
        shape = ref.shape();
        colour = randomColour(rng);
      } else if (r < 0.72) {
        shape = randomShape(rng);
        colour = ref.colour();
      } else {
        shape = randomShape(rng);
        colour = randomColour(rng);
      }
    }
    if (!background.contrasts(colour)) {
      if (k > 0 && (copyFirst || r < 0.72)) {
        return false;
      }
      for (int i = 0; i < 20 && !background.contrasts(colour); i++) {
        colour = randomColour(rng);
      }
      if (!background.contrasts(colour)) {
        return false;
      }
    }
    Size size = Size.values()[rng.nextInt(3)];
    double minSide = Math.min(width, height);
    double extent = rng.nextDouble(size.minFraction(), size.maxFraction()) * minSide;
    double rotation = shape.rotates() ? rng.nextDouble(0, 360) : 0;
    double[] half = Outlines.halfBox(shape, rotation);
    double hx = half[0] * extent + 1;
    double hy = half[1] * extent + 1;
    int cell = rng.nextInt(9);
    if (usedCell[cell] && rng.nextInt(5) != 0) {
      for (int i = 0; i < 9 && usedCell[cell]; i++) {
        cell = (cell + 1) % 9;
      }
    }
    Location loc = Location.values()[cell];
    double cw = width / 3.0;
    double ch = height / 3.0;
    double x0 = Math.max(loc.column() * cw + 0.15 * cw, hx);
    double x1 = Math.min((loc.column() + 1) * cw - 0.15 * cw, width - hx);
    double y0 = Math.max(loc.row() * ch + 0.15 * ch, hy);
    double y1 = Math.min((loc.row() + 1) * ch - 0.15 * ch, height - hy);
    if (x0 > x1 || y0 > y1) {
      return false;
    }
    double cx = x0 == x1 ? x0 : rng.nextDouble(x0, x1);
    double cy = y0 == y1 ? y0 : rng.nextDouble(y0, y1);
    double[][] polygon = Outlines.place(shape, cx, cy, extent, rotation);
    int[] box = {
      Math.max(0, (int) Math.floor(cx - hx)),
      Math.max(0, (int) Math.floor(cy - hy)),
      Math.min(width - 1, (int) Math.ceil(cx + hx)),
      Math.min(height - 1, (int) Math.ceil(cy + hy))
    };
    byte[] mask = PolygonRaster.mask(polygon, width, height);
    int area = count(mask, box);
    if (area < 12) {
      return false;
    }
    int[] overlaps = new int[k];
    for (int j = 0; j < k; j++) {
      int[] ob = boxes.get(j);
      if (ob[0] > box[2] || box[0] > ob[2] || ob[1] > box[3] || box[1] > ob[3]) {
        continue;
      }
      int inter = intersection(visible.get(j), mask, box);
      if (inter == 0) {
        continue;
      }
      if (objects.get(j).colour() == colour || intersection(full.get(j), mask, box) == area) {
        return false; // same colour would merge; inside an earlier object would punch a hole in it
      }
      int[] a = areas.get(j);
      if (a[1] - inter < MIN_VISIBLE * a[0]) {
        return false;
      }
      overlaps[j] = inter;
    }
    for (int j = 0; j < k; j++) {
      if (overlaps[j] > 0) {
        byte[] v = visible.get(j);
        for (int y = box[1]; y <= box[3]; y++) {
          for (int x = box[0], p = y * width + box[0]; x <= box[2]; x++, p++) {
            if (mask[p] != 0) {
              v[p] = 0;
            }
          }
        }
        areas.get(j)[1] -= overlaps[j];
      }
    }
    // jitter within +-20 per channel: a shared brightness shift (+-12) plus a small tint (+-8), so
    // that white stays white rather than turning pinkish
    int[] rgb = colour.rgb();
    int shift = rng.nextInt(-12, 13);
    for (int i = 0; i < 3; i++) {
      rgb[i] = Background.clamp(rgb[i] + shift + rng.nextInt(-8, 9));
    }
    usedCell[cell] = true;
    objects.add(
        new SceneObject(
            shape, colour, size, Location.of(cx, cy, width, height), cx, cy, extent, rotation, polygon, rgb));
    full.add(mask);
    visible.add(mask.clone());
    boxes.add(box);
    areas.add(new int[] {area, area});
    return true;
  }

  Scene scene() {
    return new Scene(width, height, objects, occluders);
  }

  /**
   * This layout with every object moved by {@code h}, or null when an object leaves the image,
   * lands within 5% of a grid cell's border (its location word would be unclear), or ends up less
   * than {@link #MIN_VISIBLE} visible.
   */
  Layout warped(Homography h) {
    Layout out = new Layout(width, height, background);
    out.warp = h;
    for (SceneObject o : objects) {
      double[][] p = h.apply(o.polygon());
      for (double[] v : p) {
        if (v[0] < 1 || v[1] < 1 || v[0] > width - 1 || v[1] > height - 1) {
          return null;
        }
      }
      double[] c = h.apply(o.cx(), o.cy());
      double fx = (c[0] * 3 / width) % 1;
      double fy = (c[1] * 3 / height) % 1;
      if (fx < 0.05 || fx > 0.95 || fy < 0.05 || fy > 0.95) {
        return null;
      }
      out.place(new SceneObject(o.shape(), o.colour(), o.size(), Location.of(c[0], c[1], width, height), c[0], c[1],
          o.extent(), o.rotationDeg(), p, o.rgb()));
    }
    for (int[] a : out.areas) {
      if (a[0] < 12 || a[1] < MIN_VISIBLE * a[0]) {
        return null;
      }
    }
    return out;
  }

  /** Adds an already placed object on top: its masks, and what it hides of the earlier ones. */
  private void place(SceneObject o) {
    byte[] mask = PolygonRaster.mask(o.polygon(), width, height);
    int area = 0;
    for (byte b : mask) {
      area += b;
    }
    for (int j = 0; j < visible.size(); j++) {
      areas.get(j)[1] -= hide(visible.get(j), mask);
    }
    objects.add(o);
    full.add(mask);
    visible.add(mask.clone());
    boxes.add(new int[] {0, 0, width - 1, height - 1});
    areas.add(new int[] {area, area});
  }

  /**
   * Paints an occluder over every object when it leaves each object at least {@link #MIN_VISIBLE}
   * visible and lies wholly inside none (a hole would make a visible region unwritable as polygons);
   * otherwise changes nothing and returns false.
   */
  boolean occlude(double[][] polygon) {
    byte[] mask = PolygonRaster.mask(polygon, width, height);
    int area = 0;
    for (byte b : mask) {
      area += b;
    }
    if (area == 0) {
      return false;
    }
    for (int j = 0; j < objects.size(); j++) {
      int inFull = 0;
      int inVisible = 0;
      byte[] f = full.get(j);
      byte[] v = visible.get(j);
      for (int p = 0; p < mask.length; p++) {
        inFull += f[p] & mask[p];
        inVisible += v[p] & mask[p];
      }
      int[] a = areas.get(j);
      if (inFull == area || a[1] - inVisible < MIN_VISIBLE * a[0]) {
        return false;
      }
    }
    for (int j = 0; j < objects.size(); j++) {
      areas.get(j)[1] -= hide(visible.get(j), mask);
    }
    occluders.add(polygon);
    return true;
  }

  /** Clears the pixels of {@code mask} from {@code v}; returns how many were set. */
  private static int hide(byte[] v, byte[] mask) {
    int n = 0;
    for (int p = 0; p < v.length; p++) {
      if (mask[p] != 0 && v[p] != 0) {
        v[p] = 0;
        n++;
      }
    }
    return n;
  }

  private int count(byte[] mask, int[] box) {
    int n = 0;
    for (int y = box[1]; y <= box[3]; y++) {
      for (int x = box[0], p = y * width + box[0]; x <= box[2]; x++, p++) {
        n += mask[p];
      }
    }
    return n;
  }

  private int intersection(byte[] a, byte[] b, int[] box) {
    int n = 0;
    for (int y = box[1]; y <= box[3]; y++) {
      for (int x = box[0], p = y * width + box[0]; x <= box[2]; x++, p++) {
        n += a[p] & b[p];
      }
    }
    return n;
  }

  private static Shape randomShape(SplittableRandom rng) {
    return Shape.values()[rng.nextInt(Shape.values().length)];
  }

  private static Colour randomColour(SplittableRandom rng) {
    return Colour.values()[rng.nextInt(Colour.values().length)];
  }
}
