package io.llavaseg.ops.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The two images the build writes, on their own base (ops/image/build-base: Debian with a JRE), as
 * a user runs them: the service's ({@code topology/target/jib-image.tar}, what the Deployments run)
 * and the command line's ({@code ops/target/jib-image.tar}). Their layers and entrypoints are
 * checked from the tarballs; when podman (Debian's {@code podman} and {@code runc}) is installed
 * and this runs as root, both are loaded into a podman store under target/ and run with no network:
 * the service's {@code --help}, the command line's {@code --help} and {@code demo --queries 5}
 * (broker, registry and service inside the one container, on the baked-in models). Without podman
 * those tests are skipped, saying so. Skipped with -Djib.skip (and when no base was built).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageRunIT {
  static final Path CLI_TAR = Path.of("target/jib-image.tar");
  static final Path SERVICE_TAR = Path.of("../topology/target/jib-image.tar");
  static final String VERSION = "0.1.0-SNAPSHOT";
  static final String CLI_IMAGE = "localhost/llavaseg-streams-cli:" + VERSION;
  static final String SERVICE_IMAGE = "localhost/llavaseg-streams:" + VERSION;
  static final Path PODMAN_DIR = Path.of("target/podman").toAbsolutePath();

  static boolean podman;

  @BeforeAll
  static void images() throws Exception {
    assumeFalse(Boolean.getBoolean("jib.skip"), "the images are not built with -Djib.skip");
    assertTrue(Files.isRegularFile(CLI_TAR), "the build wrote " + CLI_TAR);
    assertTrue(Files.isRegularFile(SERVICE_TAR), "the build wrote " + SERVICE_TAR);
    podman = Files.isExecutable(Path.of("/usr/bin/podman")) && Files.isExecutable(Path.of("/usr/sbin/runc"))
        && "root".equals(System.getProperty("user.name"));
    if (podman) {
      Files.createDirectories(PODMAN_DIR);
      // as recipes.md: no default ulimits or pids limit (the machine's cgroups refuse them)
      Files.writeString(PODMAN_DIR.resolve("containers.conf"),
          "[containers]\ndefault_ulimits = []\npids_limit = 0\n", StandardCharsets.UTF_8);
      for (Path tar : List.of(SERVICE_TAR, CLI_TAR)) {
        Result load = podman(300, "load", "-i", tar.toAbsolutePath().toString());
        assertEquals(0, load.rc, load.out);
      }
    }
  }

  @AfterAll
  static void removeImages() throws Exception {
    if (podman) {
      podman(120, "rmi", "-f", CLI_IMAGE, SERVICE_IMAGE);
    }
  }

  @Test
  @Order(1)
  void bothImagesRunJavaFromTheirBaseWithTheirEntrypoints() throws Exception {
    ImageTar service = ImageTar.read(SERVICE_TAR);
    ImageTar cli = ImageTar.read(CLI_TAR);
    for (ImageTar image : List.of(service, cli)) {
      assertTrue(image.layers.size() >= 4, "base and application layers: " + image.layers.size());
      Set0 base = new Set0(image.layers.get(0));
      // glibc, libstdc++ (libtorch and the JVM link them) and a JRE 17 in the base layer
      assertTrue(base.matches("(usr/)?lib/x86_64-linux-gnu/libc\\.so\\.6|(usr/)?lib/aarch64-linux-gnu/libc\\.so\\.6"), "glibc");
      assertTrue(base.matches("usr/lib/[^/]+-linux-gnu/libstdc\\+\\+\\.so\\.6"), "libstdc++");
      assertTrue(base.matches("usr/lib/jvm/java-17-openjdk-[^/]+/bin/java"), "a JRE 17");
      assertTrue(base.has("opt/java"), "/opt/java");
      assertTrue(image.env().stream().anyMatch(e -> e.startsWith("PATH=/opt/java/bin:")), image.env().toString());
      assertTrue(image.env().contains("DJL_CACHE_DIR=/tmp/djl.ai"), image.env().toString());
      assertEquals("java", image.entrypoint().get(0), "the JRE on the base's PATH");
      assertTrue(image.entrypoint().contains("-Dai.djl.offline=true"), image.entrypoint().toString());
      assertTrue(image.anyLayerHas("models/reasoner/v11/serving.properties"), "reasoner baked in");
      assertTrue(image.anyLayerHas("models/segmenter/v3/segmenter-0000.params"), "segmenter baked in");
      assertTrue(image.anyLayerMatches("app/libs/pytorch-native-cpu-.*\\.jar|app/libs/pytorch-native-cu.*\\.jar"),
          "libtorch's natives jar");
    }
    assertEquals("io.llavaseg.topology.ServiceMain", last(service.entrypoint()));
    assertEquals("io.llavaseg.ops.Main", last(cli.entrypoint()));
    String registryJar = cli.entrypoint().stream().filter(a -> a.startsWith("-Dllavaseg.registry.jar="))
        .findFirst().orElseThrow().substring("-Dllavaseg.registry.jar=".length());
    assertTrue(cli.anyLayerHas(registryJar.substring(1)), "the registry's runner jar at " + registryJar);
    assertTrue(cli.anyLayerMatches("app/libs/llavaseg-embedded-.*\\.jar"), "the embedded broker launcher");
    assertTrue(!service.anyLayerMatches("app/libs/llavaseg-(embedded|ops|model-training|shapeworld)-.*"),
        "the service's image holds no ops, embedded broker, trainer or ShapeWorld");
  }

  @Test
  @Order(2)
  void theServiceImagePrintsItsUsage() throws Exception {
    assumeTrue(podman, "podman and runc are not installed (apt-get install podman runc) or not root:"
        + " the images' layers and entrypoints are checked, not run");
    Result help = run(120, SERVICE_IMAGE, "--help");
    assertEquals(0, help.rc, help.out);
    assertTrue(help.out.contains("usage: ServiceMain --config FILE"), help.out);
  }

  @Test
  @Order(3)
  void theCommandLineImageRunsTheDemo() throws Exception {
    assumeTrue(podman, "podman and runc are not installed (apt-get install podman runc) or not root:"
        + " the images' layers and entrypoints are checked, not run");
    Result help = run(120, CLI_IMAGE, "--help");
    assertEquals(0, help.rc, help.out);
    assertTrue(help.out.contains("demo") && help.out.contains("Usage: llavaseg"), help.out);

    Result demo = run(900, CLI_IMAGE, "demo", "--queries", "5", "--timeout", "8m");
    System.out.println(demo.out);
    assertEquals(0, demo.rc, demo.out);
    assertEquals(5, figure(demo.out, "queries"), demo.out);
    assertEquals(5, figure(demo.out, "answers"), demo.out);
    assertEquals(5, figure(demo.out, "masks"), demo.out);
    assertEquals(0, figure(demo.out, "lost"), demo.out);
  }

  private static int figure(String out, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s+(\\d+)\\s*$").matcher(out);
    assertTrue(m.find(), "summary line " + name);
    return Integer.parseInt(m.group(1));
  }

  private static String last(List<String> list) {
    return list.get(list.size() - 1);
  }

  private static Result run(int timeoutSeconds, String image, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("run", "--rm", "--network", "none", image));
    cmd.addAll(List.of(args));
    return podman(timeoutSeconds, cmd.toArray(String[]::new));
  }

  private static Result podman(int timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/podman", "--runtime", "/usr/sbin/runc",
        "--cgroup-manager=cgroupfs", "--root", PODMAN_DIR.resolve("storage").toString(),
        "--runroot", PODMAN_DIR.resolve("run").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("CONTAINERS_CONF", PODMAN_DIR.resolve("containers.conf").toString());
    Path log = Files.createTempFile(PODMAN_DIR, "podman", ".log");
    Process p = pb.redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    assertTrue(done, "podman " + String.join(" ", args) + " within " + timeoutSeconds + " s: " + out);
    return new Result(p.exitValue(), out);
  }

  record Result(int rc, String out) {}

  /** A layer's paths, with regex matching. */
  private record Set0(java.util.Set<String> paths) {
    boolean has(String path) {
      return paths.contains(path);
    }

    boolean matches(String regex) {
      return paths.stream().anyMatch(p -> p.matches(regex));
    }
  }
}
