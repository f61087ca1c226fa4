package io.llavaseg.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.pipeline.ImageQuestion;
import io.llavaseg.model.pipeline.QueryResult;
import io.llavaseg.topology.FakeReasoner;
import io.llavaseg.topology.FakeSegmenter;
import io.llavaseg.topology.ServiceConfig;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LocalPipelineTest {

  /** Fake models that record the device each was loaded on and the workers made. */
  private static final class RecordingProvider implements ModelProvider {
    final List<String> devices = new ArrayList<>();
    final List<Reasoner> reasoners = new ArrayList<>();
    final List<Segmenter> segmenters = new ArrayList<>();

    private <W extends AutoCloseable> ModelHandle<W> handle(ModelId id, String device, List<W> made,
        Supplier<W> workers) {
      devices.add(device);
      return ModelHandle.of(id, () -> {
        W worker = workers.get();
        made.add(worker);
        return worker;
      });
    }

    @Override
    public ModelHandle<Reasoner> reasoner(ServiceConfig config, String device) {
      return handle(FakeReasoner.ID, device, reasoners, FakeReasoner::new);
    }

    @Override
    public ModelHandle<Segmenter> segmenter(ServiceConfig config, String device) {
      return handle(FakeSegmenter.ID, device, segmenters, FakeSegmenter::new);
    }
  }

  private static ServiceConfig devices(String spec) {
    Properties props = new Properties();
    props.setProperty(ServiceConfig.INFERENCE_DEVICES, spec);
    return ServiceConfig.from(props);
  }

  private static List<String> loadedOn(String spec, int gpus) throws Exception {
    RecordingProvider provider = new RecordingProvider();
    try (LocalPipeline ignored = LocalPipeline.load(devices(spec), provider, () -> gpus)) {
      return provider.devices;
    }
  }

  @Test
  void loadsBothModelsOnTheFirstDeviceOfTheDevicePlan() throws Exception {
    assertEquals(List.of("gpu0", "gpu0"), loadedOn("auto", 2));
    assertEquals(List.of("cpu", "cpu"), loadedOn("auto", 0));
    assertEquals(List.of("gpu1", "gpu1"), loadedOn("gpu1,gpu0", 4));
    assertEquals(List.of("cpu", "cpu"), loadedOn("cpu", 4));
  }

  @Test
  void runsQueriesThroughThePipelineAndClosesItsWorkers() throws Exception {
    RecordingProvider provider = new RecordingProvider();
    BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
    try (LocalPipeline pipeline = LocalPipeline.load(devices("cpu"), provider, () -> 0)) {
      int calls = FakeSegmenter.CALLS.get();
      QueryResult star = pipeline.run(new ImageQuestion(image, "segment the star"));
      assertEquals(FakeSegmenter.quarter(8, 6), star.mask());
      QueryResult none = pipeline.run(new ImageQuestion(image, "how many stars are there"));
      assertEquals(BinaryMask.empty(8, 6), none.mask());
      assertTrue(none.segmentation().isEmpty());
      assertEquals(calls + 1, FakeSegmenter.CALLS.get());
    }
    assertTrue(((FakeReasoner) provider.reasoners.get(0)).isClosed());
    assertTrue(((FakeSegmenter) provider.segmenters.get(0)).isClosed());
  }
}
