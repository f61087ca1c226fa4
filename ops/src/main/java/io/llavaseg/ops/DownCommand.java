package io.llavaseg.ops;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg down}: stops what {@link UpCommand} started, found through {@link UpState}:
 * the registry, then the broker (SIGTERM: Kafka's controlled shutdown; SIGKILL after 30 s), then the
 * background JVM that owned them, and deletes the state files (the logs stay). A process is
 * signalled only if its id and start time are the ones {@code up} wrote. Nothing up is not an
 * error.
 */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = "Stop the broker and the schema registry that `ops/llavaseg up` started.")
public final class DownCommand implements Callable<Integer> {

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = UpCommand.DEFAULT_DIR,
      description = "The state directory given to up (default ${DEFAULT-VALUE}).")
  Path dir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path work = dir.toAbsolutePath();
    PrintWriter err = spec.commandLine().getErr();
    Optional<UpState> state = UpState.read(work);
    if (state.isEmpty()) {
      err.println("down: nothing is up (no " + work.resolve(UpState.PIDS) + ")");
      return 0;
    }
    UpState s = state.get();
    boolean clean = stop("registry", s.registry(), err);
    clean &= stop("broker", s.broker(), err);
    clean &= stop("background process", s.supervisor(), err);
    UpState.delete(work);
    err.println("down: stopped; logs in " + work);
    err.flush();
    return clean ? 0 : 1;
  }

  /** SIGTERM, then SIGKILL after 30 s; true if it stopped (or was not running). */
  private static boolean stop(String what, UpState.Proc proc, PrintWriter err) throws InterruptedException {
    Optional<ProcessHandle> live = proc.live();
    if (live.isEmpty()) {
      err.println("down: " + what + " (pid " + proc.pid() + ") was not running");
      return true;
    }
    ProcessHandle h = live.get();
    h.destroy();
    try {
      h.onExit().get(30, TimeUnit.SECONDS);
      err.println("down: " + what + " (pid " + proc.pid() + ") stopped");
      return true;
    } catch (TimeoutException slow) {
      h.destroyForcibly();
      err.println("down: " + what + " (pid " + proc.pid() + ") killed after 30 s");
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !h.isAlive();
    } finally {
      err.flush();
    }
  }
}
