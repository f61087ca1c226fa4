package io.llavaseg.ops.bench;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.ModelUnavailableException;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.TargetAttributes;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.model.ModelProvider;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Parts d) and f) of the benchmark: models whose cost is a simulated accelerator's time, so that
 * batching and scaling are measured without the two CPU cores being the limit. Each batch holds its
 * worker's device for the {@link DeviceCost} of its size; the workers of both stages pinned to the
 * same device name share that device (one batch at a time), as on a GPU. The reasoner (in {@link
 * Reasoner#openAll}) always names the same target with parseable attributes; the segmenter returns
 * an empty mask at the image's size. They exercise every part of the service except the
 * arithmetic. Used by the benchmark and by fault drills ({@code ops/llavaseg run
 * --simulated-models}); never the default.
 *
 * <p>With an outage file ({@link #withOutageFile}, {@code run --simulated-outage-file}), every batch
 * of either model fails with {@link ModelUnavailableException} while that file exists, as a model
 * server that is down: the fault drills create and delete it to make the models fail for a while.
 */
public final class SimulatedGpuModels implements ModelProvider {
  static final ModelId REASONER = new ModelId("simulated-gpu-reasoner", "fixed-wait", "sim");
  static final ModelId SEGMENTER = new ModelId("simulated-gpu-segmenter", "fixed-wait", "sim");

  private final DeviceCost reasoning;
  private final DeviceCost segmentation;
  private final DeviceCost.Devices devices = new DeviceCost.Devices();
  private final Path outageFile;

  /** Models whose batches cost a fixed wait whatever their size. */
  public SimulatedGpuModels(Duration reasoningWait, Duration segmentationWait) {
    this(new DeviceCost(reasoningWait, Duration.ZERO), new DeviceCost(segmentationWait, Duration.ZERO));
  }

  /** Models whose batches cost their stage's {@link DeviceCost} on this provider's devices. */
  public SimulatedGpuModels(DeviceCost reasoning, DeviceCost segmentation) {
    this(reasoning, segmentation, null);
  }

  private SimulatedGpuModels(DeviceCost reasoning, DeviceCost segmentation, Path outageFile) {
    this.reasoning = reasoning;
    this.segmentation = segmentation;
    this.outageFile = outageFile;
  }

  /** These models, failing with {@link ModelUnavailableException} while {@code file} exists. */
  public SimulatedGpuModels withOutageFile(Path file) {
    return new SimulatedGpuModels(reasoning, segmentation, file);
  }

  /** Throws while the outage file exists: the simulated model server is down. */
  private void checkAvailable(ModelId model) {
    if (outageFile != null && Files.exists(outageFile)) {
      throw new ModelUnavailableException(model.name() + " is unavailable (simulated outage: " + outageFile + " exists)");
    }
  }

  @Override
  public ModelHandle<Reasoner> reasoner(ServiceConfig config, String device) {
    return ModelHandle.of(REASONER, () -> new Reasoner() {
      @Override
      public ImageChat open(BufferedImage image) {
        return openAll(List.of(image)).get(0);
      }

      @Override
      public List<ImageChat> openAll(List<BufferedImage> images) {
        checkAvailable(REASONER);
        devices.run(device, reasoning, images.size());
        List<ImageChat> chats = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
          chats.add(new ImageChat() {
            @Override
            public double visionMs() {
              return 0;
            }

            @Override
            public Generation ask(String prompt) {
              String reply = prompt.contains("Describe the colour")
                  ? "color: red; shape: circle; size: small; location: center"
                  : prompt.contains("What is the target region") ? "the red circle" : "There is a red circle.";
              return new Generation(reply, 1, 1, "stop", 0, 0);
            }

            @Override
            public void close() {}
          });
        }
        return chats;
      }

      @Override
      public ModelId modelId() {
        return REASONER;
      }

      @Override
      public void close() {}
    });
  }

  @Override
  public ModelHandle<Segmenter> segmenter(ServiceConfig config, String device) {
    return ModelHandle.of(SEGMENTER, () -> new Segmenter() {
      @Override
      public SegmentationResult segment(BufferedImage image, String description, TargetAttributes attributes) {
        return segmentBatch(List.of(new SegmentationPrompt(image, description, attributes))).get(0);
      }

      @Override
      public List<SegmentationResult> segmentBatch(List<SegmentationPrompt> prompts) {
        checkAvailable(SEGMENTER);
        devices.run(device, segmentation, prompts.size());
        List<SegmentationResult> out = new ArrayList<>();
        for (SegmentationPrompt p : prompts) {
          BinaryMask empty = new BinaryMask(p.image().getWidth(), p.image().getHeight(),
              new byte[p.image().getWidth() * p.image().getHeight()]);
          out.add(new SegmentationResult(empty, 0f, SEGMENTER, segmentation.of(prompts.size()).toMillis()));
        }
        return out;
      }

      @Override
      public ModelId modelId() {
        return SEGMENTER;
      }

      @Override
      public void close() {}
    });
  }
}
