package io.llavaseg.ops;

import io.llavaseg.model.Reasoning;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.pipeline.ImageQuestion;
import io.llavaseg.model.pipeline.QueryResult;
import io.llavaseg.topology.LlavasegService;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.model.LocalPipeline;
import io.llavaseg.topology.model.BackendModelProvider;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import io.llavaseg.ops.cli.ModelOptions;
import io.llavaseg.ops.cli.OutputOptions;

/**
 * {@code ops/llavaseg ask --image FILE --question TEXT [--mask-out FILE]}: one query, in-process,
 * through the same models and pipeline as the service (no broker needed), on the first device of
 * {@code llavaseg.inference.devices} ({@link LocalPipeline}).
 */
@Command(
    name = "ask",
    mixinStandardHelpOptions = true,
    description = "Answer one question about one image and segment its target, in-process.")
public final class AskCommand implements Callable<Integer> {

  @Option(names = "--image", required = true, paramLabel = "FILE", description = "A PNG or JPEG image.")
  Path image;

  @Option(names = "--question", required = true, paramLabel = "TEXT")
  String question;

  @Option(names = "--mask-out", paramLabel = "FILE", description = "Write the mask as a PNG (white = target).")
  Path maskOut;

  @Option(names = "--config", paramLabel = "FILE", description = "Service properties (model store, versions, device, prompts); defaults otherwise.")
  Path config;

  @Mixin ModelOptions models;

  @Mixin OutputOptions output;

  /**
   * The result as JSON: the question, the answer, the target and its attributes (or why there is
   * none), the mask as COCO RLE ({@code counts} compressed as pycocotools writes it, column-major)
   * with its area, box and score, and the model ids with their timings.
   */
  private void writeJson(Path file, QueryResult result, int width, int height) throws java.io.IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    var root = json.createObjectNode();
    Reasoning r = result.reasoning();
    root.put("question", question);
    root.put("answer", r.answer());
    root.put("target", r.target().orElse(null));
    if (r.attributes().isPresent()) {
      var a = r.attributes().get();
      var attrs = root.putObject("attributes");
      attrs.put("color", a.color()).put("shape", a.shape()).put("size", a.size()).put("location", a.location());
      if (a.box() != null) {
        attrs.putArray("box").add(a.box().x0()).add(a.box().y0()).add(a.box().x1()).add(a.box().y1());
      }
    }
    root.put("no_target_reason", r.hasTarget() ? null : r.failureReason().orElse("NO_TARGET"));
    long[] counts = io.llavaseg.schemas.CocoRle.encode(result.mask().pixels(), width, height);
    var mask = root.putObject("mask");
    mask.put("width", width).put("height", height);
    mask.put("counts", io.llavaseg.schemas.CocoRle.toCompressedString(counts));
    mask.put("area", io.llavaseg.schemas.CocoRle.area(counts));
    int[] bbox = io.llavaseg.schemas.CocoRle.bbox(counts, width, height);
    mask.putArray("bbox").add(bbox[0]).add(bbox[1]).add(bbox[2]).add(bbox[3]);
    result.segmentation().ifPresent(s -> mask.put("score", s.score()));
    var models = root.putObject("models");
    models.put("reasoner", r.model().toString()).put("reasoning_ms", r.timings().totalMs());
    result.segmentation().ifPresent(s -> models.put("segmenter", s.model().toString()).put("segmentation_ms",
        s.inferenceMs()));
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
  }

  @Override
  public Integer call() throws Exception {
    BufferedImage img = Files.isRegularFile(image) ? ImageIO.read(image.toFile()) : null;
    if (img == null) {
      System.err.println("llavaseg ask: cannot read an image from " + image);
      return 2;
    }
    Properties props = models.applyTo(config == null ? new Properties() : LlavasegService.load(config));
    ServiceConfig conf = ServiceConfig.from(props);
    try (LocalPipeline pipeline = LocalPipeline.load(conf, new BackendModelProvider(), LlavasegService::gpuCount)) {
      QueryResult result = pipeline.run(new ImageQuestion(img, question));
      Reasoning r = result.reasoning();
      System.out.println("answer:     " + r.answer());
      System.out.println("target:     " + r.target().orElse("none"));
      System.out.println("attributes: " + r.attributes().map(Object::toString).orElse("-"));
      r.failureReason().ifPresent(f -> System.out.println("note:       " + f));
      System.out.printf("reasoning:  %.1f ms (vision %.1f, answer %.1f, target %.1f, attributes %.1f) by %s%n",
          r.timings().totalMs(), r.timings().visionMs(), r.timings().answerMs(), r.timings().targetMs(),
          r.timings().attributesMs(), r.model());
      byte[] mask = result.mask().pixels();
      if (result.segmentation().isPresent()) {
        SegmentationResult s = result.segmentation().get();
        int[] b = s.mask().bbox();
        System.out.printf("mask:       %d px, bbox [%d, %d, %d, %d], score %.3f, %.1f ms by %s%n",
            s.mask().area(), b[0], b[1], b[2], b[3], s.score(), s.inferenceMs(), s.model());
      } else {
        System.out.println("mask:       empty (no target)");
      }
      if (maskOut != null) {
        BufferedImage png = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < mask.length; i++) {
          png.getRaster().setSample(i % img.getWidth(), i / img.getWidth(), 0, mask[i] != 0 ? 255 : 0);
        }
        ImageIO.write(png, "png", maskOut.toFile());
        System.out.println("wrote " + maskOut);
      }
      if (output.json().isPresent()) {
        writeJson(output.json().get(), result, img.getWidth(), img.getHeight());
        System.out.println("wrote " + output.json().get());
      }
      return 0;
    }
  }
}
