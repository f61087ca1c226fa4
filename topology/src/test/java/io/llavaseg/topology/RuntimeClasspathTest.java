package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The service's runtime classpath, as Maven resolved it for this module ({@code
 * dependency:list -DincludeScope=runtime}, written to {@code target/runtime-dependencies.txt} before
 * the tests run), holds no trainer, dataset generator, benchmark, embedded broker or registry, Kafka
 * server or tools, and no test library: what topology ships (and the container image holds) is the
 * inference service only. The enforcer rule in {@code topology/pom.xml} fails the build on the same
 * artifacts; this test reads what was actually resolved.
 */
class RuntimeClasspathTest {
  private static final Path LIST = Path.of("target/runtime-dependencies.txt");
  private static final Pattern COORDINATES =
      Pattern.compile("^\\s+([\\w.\\-]+):([\\w.\\-]+):([\\w.\\-]+):.*:(compile|runtime)\\b.*$");

  /** llavaseg modules that train, generate, benchmark or launch infrastructure. */
  private static final Set<String> BANNED_MODULES = Set.of("llavaseg-model-training",
      "llavaseg-shapeworld", "llavaseg-embedded", "llavaseg-registry", "llavaseg-ops");
  /** Kafka jars a client needs; any other org.apache.kafka artifact is server or test tooling. */
  private static final Set<String> ALLOWED_KAFKA = Set.of("kafka-clients", "kafka-streams");
  /** Whole groups that have no place in the service. */
  private static final List<String> BANNED_GROUP_PREFIXES = List.of("org.scala-lang", "io.apicurio",
      "io.quarkus", "org.junit");

  record Artifact(String group, String artifact) {
    @Override
    public String toString() {
      return group + ":" + artifact;
    }
  }

  static List<Artifact> runtimeArtifacts() throws IOException {
    assertTrue(Files.isRegularFile(LIST), LIST + " is written by maven-dependency-plugin:list in "
        + "generate-test-resources; run the tests through Maven");
    return Files.readAllLines(LIST).stream().map(COORDINATES::matcher).filter(Matcher::matches)
        .map(m -> new Artifact(m.group(1), m.group(2))).toList();
  }

  static boolean banned(Artifact a) {
    if (a.group().equals("io.llavaseg") && BANNED_MODULES.contains(a.artifact())) {
      return true;
    }
    if (a.group().equals("org.apache.kafka") && !ALLOWED_KAFKA.contains(a.artifact())) {
      return true;
    }
    return BANNED_GROUP_PREFIXES.stream().anyMatch(p -> a.group().equals(p) || a.group().startsWith(p + "."));
  }

  @Test
  void shouldShipNoTrainingShapeWorldEmbeddedInfrastructureKafkaServerOrTestLibraries() throws IOException {
    List<Artifact> runtime = runtimeArtifacts();
    List<Artifact> banned = runtime.stream().filter(RuntimeClasspathTest::banned).toList();
    assertEquals(List.of(), banned, "banned artifacts on topology's runtime classpath");
  }

  @Test
  void shouldReadTheServicesOwnDependenciesFromTheList() throws IOException {
    // guards against an empty or unparsable list passing the check above
    Set<String> names = runtimeArtifacts().stream().map(Artifact::toString)
        .collect(java.util.stream.Collectors.toSet());
    for (String needed : List.of("io.llavaseg:llavaseg-schemas", "io.llavaseg:llavaseg-model-runtime",
        "org.apache.kafka:kafka-streams", "ai.djl:api", "org.apache.logging.log4j:log4j-core")) {
      assertTrue(names.contains(needed), needed + " in " + names);
    }
  }

  @Test
  void shouldRecogniseEveryKindOfBannedArtifact() {
    for (String name : List.of("io.llavaseg:llavaseg-model-training", "io.llavaseg:llavaseg-shapeworld",
        "io.llavaseg:llavaseg-embedded", "org.apache.kafka:kafka_2.13", "org.apache.kafka:kafka-server",
        "org.apache.kafka:kafka-tools", "org.apache.kafka:kafka-test-common-runtime",
        "org.scala-lang:scala-library", "io.apicurio:apicurio-registry-app", "org.junit.jupiter:junit-jupiter-api")) {
      String[] ga = name.split(":");
      assertTrue(banned(new Artifact(ga[0], ga[1])), name);
    }
    for (String name : List.of("org.apache.kafka:kafka-clients", "org.apache.kafka:kafka-streams",
        "io.llavaseg:llavaseg-model-runtime", "io.llavaseg:llavaseg-schemas")) {
      String[] ga = name.split(":");
      assertTrue(!banned(new Artifact(ga[0], ga[1])), name);
    }
  }
}
