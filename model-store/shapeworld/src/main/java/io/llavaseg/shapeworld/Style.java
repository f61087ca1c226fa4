package io.llavaseg.shapeworld;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A named rendering style: how ShapeWorld's scenes look (image size, background, stroke, anti-aliasing,
 * light, blur, noise, JPEG, tilt and perspective, occluders), never what they contain or how queries
 * are worded. TRAINING styles may be trained on; HELD_OUT styles are only ever evaluated on ({@link
 * TrainingStyles} refuses them), and are new combinations or new instances of kinds of variation the
 * training styles show, so that they measure generalisation. {@link #CLASSIC} renders exactly what
 * the generator rendered before styles existed. docs/styles.md lists them.
 */
public record Style(String name, Group group, String description, Look look) {

  /** Whether a style may be trained on. */
  public enum Group {
    TRAINING,
    HELD_OUT;

    public String word() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public static final Style CLASSIC = new Style("classic", Group.TRAINING,
      "the original look: the world's size, solid/gradient/noise/checker backgrounds, mild random blur, noise and JPEG",
      Look.CLASSIC);

  private static final List<Style> ALL = List.of(
      CLASSIC,
      training("sizes", "per-sample size, 160x120 to 640x480 landscape and 120x160 to 480x640 portrait",
          Look.CLASSIC.withFraming(Look.Framing.VARIED)),
      training("gradient", "wide one-hue gradients (a shade 45-80 darker or lighter across the image)",
          Look.CLASSIC.withBackdrop(Look.Backdrop.STRONG_GRADIENT)),
      training("texture", "hatched or dotted backgrounds", Look.CLASSIC.withBackdrop(Look.Backdrop.HATCH_OR_DOTS)),
      training("clutter", "scribbles and specks on the background that are no objects", Look.CLASSIC.withClutter()),
      training("noise", "strongly noisy background (amplitude 25-45) and sensor noise (sigma 6-12)",
          Look.CLASSIC.withBackdrop(Look.Backdrop.STRONG_NOISE).withArtefacts(0, 12, 0)),
      training("outline", "each shape stroked inside its outline in a darker shade of its colour", Look.CLASSIC.withOutline()),
      training("aliased", "shapes filled without anti-aliasing", Look.CLASSIC.withoutAntialiasing()),
      training("lighting", "shading across each object (+-12) and a scene light cast (up to +-8, ramped)",
          Look.CLASSIC.withLight(12, 8)),
      training("blur", "strong blur (3 to 5 binomial passes)", Look.CLASSIC.withArtefacts(5, 0, 0)),
      training("jpeg", "low JPEG quality (0.12 to 0.25)", Look.CLASSIC.withArtefacts(0, 0, 0.25)),
      training("tilt", "the whole scene turned by up to 6 degrees", Look.CLASSIC.withGeometry(6, 0)),
      training("occlusion", "1 to 3 striped distractor bars painted over the objects (targets stay >= 60% visible)",
          Look.CLASSIC.withOccluders(3)),
      heldOut("bricks", "a brick-wall texture never trained on, at varied sizes",
          Look.CLASSIC.withBackdrop(Look.Backdrop.BRICKS).withFraming(Look.Framing.VARIED)),
      heldOut("camera", "a 4:3 camera frame (320x240 to 640x480) with blur, sensor noise, JPEG and a light cast",
          Look.CLASSIC.withFraming(Look.Framing.CAMERA).withArtefacts(3, 10, 0.5).withLight(6, 8)),
      heldOut("perspective", "a keystone (corners moved up to 7%) with a tilt, on wide gradients",
          Look.CLASSIC.withGeometry(4, 0.07).withBackdrop(Look.Backdrop.STRONG_GRADIENT)),
      heldOut("sketch", "outlined, aliased shapes on a cluttered background with distractor bars",
          Look.CLASSIC.withOutline().withoutAntialiasing().withClutter().withOccluders(2)));

  private static Style training(String name, String description, Look look) {
    return new Style(name, Group.TRAINING, description, look);
  }

  private static Style heldOut(String name, String description, Look look) {
    return new Style(name, Group.HELD_OUT, description, look);
  }

  /** Every style, classic first, then the training styles, then the held-out ones. */
  public static List<Style> all() {
    return ALL;
  }

  /** The styles of one group. */
  public static List<Style> of(Group group) {
    return ALL.stream().filter(s -> s.group == group).toList();
  }

  public static Optional<Style> named(String name) {
    String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    return ALL.stream().filter(s -> s.name.equals(n)).findFirst();
  }

  /**
   * The styles of a comma-separated list of style names and group names ({@code training}, {@code
   * held-out}), in order, without repeats.
   *
   * @throws IllegalArgumentException on an unknown name
   */
  public static List<Style> parse(String list) {
    Set<Style> out = new LinkedHashSet<>();
    for (String part : list.split(",")) {
      String p = part.strip().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) {
        continue;
      }
      Optional<Group> group = List.of(Group.values()).stream().filter(g -> g.word().equals(p)).findFirst();
      if (group.isPresent()) {
        out.addAll(of(group.get()));
        continue;
      }
      out.add(named(p).orElseThrow(() -> new IllegalArgumentException(
          "unknown style '" + part.strip() + "'; styles: " + names(ALL) + ", or a group: training, held-out")));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no style in '" + list + "'");
    }
    return new ArrayList<>(out);
  }

  /** "classic,sizes": the names of a list of styles, as {@link #parse(String)} reads them back. */
  public static String names(List<Style> styles) {
    return String.join(",", styles.stream().map(Style::name).toList());
  }

  public boolean isClassic() {
    return this.equals(CLASSIC);
  }
}
