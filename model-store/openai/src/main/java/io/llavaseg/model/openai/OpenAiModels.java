package io.llavaseg.model.openai;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The handle of a reasoner behind an OpenAI-compatible server: one client (its connection pool and
 * its concurrency bound) and one request pool shared by every worker of the process; closing it
 * stops the pool.
 */
public final class OpenAiModels {
  private OpenAiModels() {}

  public static ModelHandle<Reasoner> reasoner(OpenAiSettings settings) {
    ChatCompletions client = new ChatCompletions(settings);
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "openai-request-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ExecutorService requests = Executors.newFixedThreadPool(settings.maxConcurrency(), threads);
    OpenAiReasoner probe = new OpenAiReasoner(client, requests);
    return new ModelHandle<>() {
      @Override
      public ModelId modelId() {
        return probe.modelId();
      }

      @Override
      public Reasoner newWorker() {
        return new OpenAiReasoner(client, requests);
      }

      @Override
      public void close() {
        requests.shutdownNow();
      }
    };
  }
}
