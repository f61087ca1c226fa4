package io.llavaseg.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.backend.BackendContext;
import io.llavaseg.model.backend.BackendSetting;
import io.llavaseg.model.backend.ReasonerBackend;
import io.llavaseg.model.backend.SegmenterBackend;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.model.cot.ReplyStyle;
import io.llavaseg.topology.ModelBackends;
import io.llavaseg.topology.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendModelProviderTest {
  @TempDir Path store;
  private final List<BackendContext> contexts = new ArrayList<>();

  private ServiceConfig config(String... kv) {
    Properties p = new Properties();
    p.setProperty(ServiceConfig.MODEL_STORE, store.toString());
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return ServiceConfig.from(p);
  }

  private static <W extends AutoCloseable> ModelHandle<W> handle(BackendContext c) {
    return ModelHandle.of(new ModelId("m", c.modelDir().getFileName().toString(), c.device(), "recorder"), () -> {
      throw new UnsupportedOperationException();
    });
  }

  /** Backends named "recorder" that record what they were given. */
  private BackendModelProvider recorders() {
    ReasonerBackend r = new ReasonerBackend() {
      public String name() {
        return "recorder";
      }

      public List<BackendSetting> settings() {
        return List.of(new BackendSetting("greeting", BackendSetting.Type.STRING, "hi", "a word"),
            new BackendSetting("wait", BackendSetting.Type.DURATION, "250ms", "a wait"));
      }

      public ModelHandle<Reasoner> load(BackendContext c) {
        contexts.add(c);
        return handle(c);
      }
    };
    SegmenterBackend s = new SegmenterBackend() {
      public String name() {
        return "recorder";
      }

      public ModelHandle<Segmenter> load(BackendContext c) {
        contexts.add(c);
        return handle(c);
      }
    };
    return new BackendModelProvider(List.of(r), List.of(s));
  }

  @Test
  void shouldLoadThroughTheConfiguredBackendWithItsFolderDeviceAndSettings() throws IOException {
    ServiceConfig c = config(ServiceConfig.REASONER_BACKEND, "recorder", ServiceConfig.SEGMENTER_BACKEND, "recorder",
        ServiceConfig.REASONER_VERSION, "v2");
    assertEquals("recorder", recorders().reasoner(c, "gpu0").modelId().backend());
    recorders().segmenter(c, "gpu1");
    assertEquals(store.resolve("reasoner/v2"), contexts.get(0).modelDir());
    assertEquals("gpu0", contexts.get(0).device());
    assertEquals(Map.of("greeting", "hi", "wait", Duration.ofMillis(250)), contexts.get(0).settings());
    assertEquals(store.resolve("segmenter/v3"), contexts.get(1).modelDir());
    assertEquals("gpu1", contexts.get(1).device());
  }

  @Test
  void shouldNameTheBackendsThereAreWhenTheConfiguredOneIsMissing() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new BackendModelProvider().reasoner(config(ServiceConfig.REASONER_BACKEND, "vllm"), "cpu"));
    assertTrue(e.getMessage().contains(ServiceConfig.REASONER_BACKEND) && e.getMessage().contains("djl, openai"),
        e.getMessage());
  }

  @Test
  void shouldFindTheProjectsBackendsOnTheClasspath() {
    assertEquals(List.of("djl", "openai"), ModelBackends.reasoners().stream().map(ReasonerBackend::name).toList());
    assertEquals(List.of("djl", "sam2"), ModelBackends.segmenters().stream().map(SegmenterBackend::name).toList());
  }

  @Test
  void shouldDefineAndParseEachBackendsSettings() {
    ServiceConfig c = config("llavaseg.reasoner.openai.request.timeout", "5s", "llavaseg.reasoner.openai.api.key",
        "sk-123", "llavaseg.reasoner.openai.max.concurrency", "3");
    ReasonerBackend openai = ModelBackends.reasoners().get(1);
    Map<String, Object> s = c.backendSettings(ServiceConfig.REASONER_KIND, "openai", openai.settings());
    assertEquals(Duration.ofSeconds(5), s.get("request.timeout"));
    assertEquals("sk-123", s.get("api.key"));
    assertEquals(3, s.get("max.concurrency"));
    assertEquals("http://127.0.0.1:8000/v1", s.get("base.url"));
    assertTrue(c.unknownKeys().isEmpty(), c.unknownKeys().toString());
    assertEquals(io.llavaseg.topology.Secrets.MASK, io.llavaseg.topology.Secrets.shown("llavaseg.reasoner.openai.api.key",
        c.properties().getProperty("llavaseg.reasoner.openai.api.key")), "never printed");
    assertThrows(ConfigException.class, () -> config("llavaseg.reasoner.openai.request.timeout", "soon"));
  }

  @Test
  void shouldNameTheKeysToFixWhenAFolderIsMissing() {
    IOException e = assertThrows(IOException.class, () -> new BackendModelProvider().segmenter(config(), "cpu"));
    assertTrue(e.getMessage().contains(ServiceConfig.SEGMENTER_VERSION), e.getMessage());
  }

  @Test
  void shouldTakeThePromptsFromTheFileElseTheReasonerBackend() throws IOException {
    BackendModelProvider provider = new BackendModelProvider();
    assertEquals(PromptTemplates.DEFAULT, provider.prompts(config()));
    Path folder = Files.createDirectories(store.resolve("reasoner/v11"));
    Files.writeString(folder.resolve("prompts.properties"), "prompt.answer=Q: {question}\n");
    assertEquals("Q: {question}", provider.prompts(config()).answer());
    assertEquals(ReplyStyle.OPEN, provider.prompts(config(ServiceConfig.REASONER_BACKEND, "openai")).replies());
    Path file = Files.writeString(store.resolve("mine.properties"), "prompt.answer=Mine {question}\n");
    assertEquals("Mine {question}",
        provider.prompts(config(ServiceConfig.PROMPTS_FILE, file.toString())).answer());
  }
}
