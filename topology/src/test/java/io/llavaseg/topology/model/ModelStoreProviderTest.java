package io.llavaseg.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.topology.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreProviderTest {
  @TempDir Path store;
  private final List<String> loaded = new ArrayList<>();

  private ServiceConfig config(String... kv) {
    Properties p = new Properties();
    p.setProperty(ServiceConfig.MODEL_STORE, store.toString());
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return ServiceConfig.from(p);
  }

  private <W extends AutoCloseable> ModelStoreProvider.Loader<W> recorder() {
    return (dir, device) -> {
      loaded.add(store.relativize(dir) + "@" + device);
      return new ModelHandle<W>() {
        @Override
        public ModelId modelId() {
          return new ModelId("m", dir.getFileName().toString(), device);
        }

        @Override
        public W newWorker() {
          throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
      };
    };
  }

  private ModelStoreProvider provider() {
    ModelStoreProvider.Loader<Reasoner> r = recorder();
    ModelStoreProvider.Loader<Segmenter> s = recorder();
    return new ModelStoreProvider(r, s);
  }

  @Test
  void shouldLoadTheConfiguredVersionsOnTheDeviceAskedFor() throws IOException {
    Files.createDirectories(store.resolve("reasoner/v2"));
    Files.createDirectories(store.resolve("segmenter/v1"));
    ServiceConfig c = config(ServiceConfig.REASONER_VERSION, "v2");
    assertEquals("v2", provider().reasoner(c, "gpu0").modelId().version());
    provider().segmenter(c, "gpu0");
    assertEquals(List.of("reasoner/v2@gpu0", "segmenter/v1@gpu0"), loaded);
  }

  @Test
  void shouldNameTheKeysToFixWhenAFolderIsMissing() {
    IOException e = assertThrows(IOException.class, () -> provider().segmenter(config(), "cpu"));
    assertTrue(e.getMessage().contains(ServiceConfig.SEGMENTER_VERSION), e.getMessage());
    assertTrue(loaded.isEmpty());
  }

  @Test
  void shouldTakeThePromptsFromTheFileElseTheReasonerFolderElseTheDefaults() throws IOException {
    assertEquals(PromptTemplates.DEFAULT, provider().prompts(config()));
    Path folder = Files.createDirectories(store.resolve("reasoner/v7"));
    Files.writeString(folder.resolve("prompts.properties"), "prompt.answer=Q: {question}\n");
    assertEquals("Q: {question}", provider().prompts(config()).answer());
    Path file = Files.writeString(store.resolve("mine.properties"), "prompt.answer=Mine {question}\n");
    assertEquals("Mine {question}",
        provider().prompts(config(ServiceConfig.PROMPTS_FILE, file.toString())).answer());
  }
}
