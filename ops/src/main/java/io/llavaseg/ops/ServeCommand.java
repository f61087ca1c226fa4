package io.llavaseg.ops;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import io.llavaseg.ops.serve.OpenAiServer;
import io.llavaseg.topology.LlavasegService;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.model.LocalPipeline;
import io.llavaseg.topology.model.BackendModelProvider;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg serve [--port P]}: the configured reasoner (the model store's, by default
 * {@code reasoner/v11}) behind the OpenAI-compatible API ({@link OpenAiServer}) until SIGTERM or
 * Ctrl-C.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve the reasoner behind an OpenAI-compatible API (/v1/chat/completions, /v1/models, /health).")
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "8000", description = "Port to listen on (0 = any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to bind (0.0.0.0 for every interface). Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--threads", defaultValue = "2",
      description = "Requests answered at once, each on its own model worker. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Service properties (model store, reasoner version, devices); defaults otherwise.")
  Path config;

  @Override
  public Integer call() throws Exception {
    ServiceConfig conf = ServiceConfig.from(config == null ? new Properties() : LlavasegService.load(config));
    String device = LocalPipeline.device(conf, LlavasegService::gpuCount);
    ModelHandle<Reasoner> model = new BackendModelProvider().reasoner(conf, device);
    CountDownLatch stopped = new CountDownLatch(1);
    try (OpenAiServer server = OpenAiServer.start(model, host, port, threads)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "serve-shutdown"));
      System.out.printf("serving %s at http://%s:%d/v1 (POST /v1/chat/completions, GET /v1/models, GET /health)%n",
          server.modelName(), host, server.port());
      System.out.flush();
      stopped.await();
    }
    return 0;
  }
}
