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
      return 0;
    }
  }
}
