package io.llavaseg.topology;

import io.llavaseg.topology.model.ModelProvider;
import io.llavaseg.topology.model.BackendModelProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's entry point (the container image's, and what {@code ops/llavaseg run} delegates
 * to): {@code --config FILE [--set KEY=VALUE]... [--print-config]}. It reads the properties file,
 * applies the overrides, builds the {@link ServiceConfig} (defaults and derived timeouts filled in),
 * starts {@link LlavasegService} on the model store's models and runs until SIGTERM/SIGINT, when a
 * shutdown hook closes the service. {@code --print-config} prints the effective configuration,
 * secrets masked ({@link Secrets}), and exits without connecting to anything.
 *
 * <p>Exit codes: {@value #EXIT_OK} after a requested shutdown (or {@code --print-config}, {@code
 * --help}); {@value #EXIT_FAILED} if the service could not start or its streams failed; {@value
 * #EXIT_USAGE} for a bad command line or a configuration that cannot be read or is invalid, with one
 * line on standard error naming the problem.
 */
public final class ServiceMain {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;
  public static final String USAGE =
      "usage: ServiceMain --config FILE [--set KEY=VALUE]... [--print-config]";

  private static final Logger LOG = LoggerFactory.getLogger(ServiceMain.class);

  private ServiceMain() {}

  /** A parsed command line. {@code config} is null only when {@code help} is set. */
  public record Arguments(Path config, Map<String, String> overrides, boolean printConfig, boolean help) {
    public Arguments {
      overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }
  }

  /** A command line that cannot be run; the message is the one line to show. */
  public static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, BackendModelProvider::new, System.out, System.err));
  }

  /**
   * Parses the command line: {@code --config FILE} (required), {@code --set KEY=VALUE}
   * (repeatable; a later one wins), {@code --print-config}, {@code --help}. Both {@code --opt value}
   * and {@code --opt=value} are accepted.
   *
   * @throws UsageException naming the offending argument
   */
  public static Arguments parse(String... args) {
    Path config = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    boolean printConfig = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      switch (name) {
        case "-h", "--help" -> {
          return new Arguments(null, Map.of(), false, true);
        }
        case "--print-config" -> {
          if (inline != null) {
            throw new UsageException("--print-config takes no value");
          }
          printConfig = true;
        }
        case "--config" -> {
          String value = inline != null ? inline : value(args, ++i, "--config", "FILE");
          if (value.isBlank()) {
            throw new UsageException("--config needs a FILE");
          }
          config = Path.of(value);
        }
        case "--set" -> {
          String kv = inline != null ? inline : value(args, ++i, "--set", "KEY=VALUE");
          int split = kv.indexOf('=');
          if (split <= 0 || kv.substring(0, split).isBlank()) {
            throw new UsageException("--set needs KEY=VALUE, got '" + kv + "'");
          }
          overrides.put(kv.substring(0, split).strip(), kv.substring(split + 1));
        }
        default -> throw new UsageException("unknown argument '" + arg + "'");
      }
    }
    if (config == null) {
      throw new UsageException("--config FILE is required");
    }
    return new Arguments(config, overrides, printConfig, false);
  }

  private static String value(String[] args, int i, String option, String label) {
    if (i >= args.length) {
      throw new UsageException(option + " needs " + label);
    }
    return args[i];
  }

  /** {@link #parse} then {@link #run(Path, Map, boolean, Supplier, PrintStream, PrintStream)}. */
  public static int run(String[] args, Supplier<? extends ModelProvider> models, PrintStream out,
      PrintStream err) {
    Arguments a;
    try {
      a = parse(args);
    } catch (UsageException e) {
      err.println("llavaseg: " + e.getMessage() + " (" + USAGE + ")");
      return EXIT_USAGE;
    }
    if (a.help()) {
      out.println(USAGE);
      out.println("Runs the llavaseg Kafka Streams service. Keys and defaults: llavaseg-defaults.properties.");
      out.println("  --config FILE      service properties (Kafka Streams keys, schema.registry.url, llavaseg.*)");
      out.println("  --set KEY=VALUE    override one property of the file (repeatable)");
      out.println("  --print-config     print the effective configuration (secrets masked) and exit");
      return EXIT_OK;
    }
    return run(a.config(), a.overrides(), a.printConfig(), models, out, err);
  }

  /**
   * Reads {@code configFile}, applies {@code overrides}, and either prints the effective
   * configuration or runs the service on the models {@code models} supplies (asked for only when
   * the service starts) until it stops.
   *
   * @return the exit code (see the class doc)
   */
  public static int run(Path configFile, Map<String, String> overrides, boolean printConfig,
      Supplier<? extends ModelProvider> models, PrintStream out, PrintStream err) {
    ServiceConfig config;
    try {
      config = config(configFile, overrides);
    } catch (IOException e) {
      err.println("llavaseg: cannot read configuration file " + configFile + ": " + describe(e));
      return EXIT_USAGE;
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("llavaseg: bad configuration in " + configFile + ": " + e.getMessage());
      return EXIT_USAGE;
    }
    if (printConfig) {
      Map<String, String> shown = new TreeMap<>();
      config.properties().forEach((k, v) -> shown.put(k.toString(), v.toString()));
      Secrets.masked(shown).forEach((k, v) -> out.println(k + "=" + v));
      return EXIT_OK;
    }
    try {
      return serve(config, models.get());
    } catch (IOException e) {
      LOG.error("cannot start", e);
      err.println("llavaseg: cannot start (models, metrics port or files): " + describe(e));
      return EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("llavaseg: interrupted");
      return EXIT_FAILED;
    } catch (Exception e) {
      LOG.error("the service failed", e);
      err.println("llavaseg: the service failed: " + describe(e));
      return EXIT_FAILED;
    }
  }

  /** The file's properties with the overrides applied, as a validated configuration. */
  public static ServiceConfig config(Path configFile, Map<String, String> overrides) throws IOException {
    Properties props = LlavasegService.load(configFile);
    props.putAll(overrides);
    return ServiceConfig.from(props);
  }

  /**
   * Starts the service and blocks until its streams stop; a shutdown hook closes it on
   * SIGTERM/SIGINT.
   *
   * @return {@value #EXIT_OK} after a requested shutdown, {@value #EXIT_FAILED} if the streams failed
   */
  public static int serve(ServiceConfig config, ModelProvider models) throws Exception {
    LlavasegService service = LlavasegService.start(config, models);
    Thread hook = new Thread(service::close, "llavaseg-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    service.awaitStop();
    boolean failed = service.streams().state() == KafkaStreams.State.ERROR;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      service.close();
    } catch (IllegalStateException shuttingDown) {
      // the hook is closing the service
    }
    return failed ? EXIT_FAILED : EXIT_OK;
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }
}
