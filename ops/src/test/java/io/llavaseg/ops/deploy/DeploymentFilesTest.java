package io.llavaseg.ops.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.llavaseg.topology.Health;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.ServiceMain;
import io.llavaseg.topology.Stage;
import io.llavaseg.topology.Topics;
import io.llavaseg.topology.inference.DevicePlan;
import io.llavaseg.topology.inference.InferenceMetrics;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment files in {@code ops/deploy} parse, and what they name agrees with the code: each
 * Deployment's args are a valid {@link ServiceMain} command line (the image's entrypoint), and the
 * ConfigMap with its overrides is a valid service configuration for the Deployment's stage; the metrics port, probe
 * paths, consumer groups and topics match; GPU requests go with a GPU device setting; every
 * {@code llavaseg_*} metric the dashboard queries exists.
 */
class DeploymentFilesTest {
  private static final Path DEPLOY = Path.of("deploy");
  private final YAMLMapper yaml = new YAMLMapper();

  private List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      var it = yaml.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isNull() && !n.isEmpty()) {
          docs.add(n);
        }
      }
    }
    return docs;
  }

  private Map<String, JsonNode> byKindAndName() throws IOException {
    Map<String, JsonNode> out = new HashMap<>();
    try (var files = Files.list(DEPLOY.resolve("k8s"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        for (JsonNode d : documents(f)) {
          assertTrue(d.hasNonNull("apiVersion") && d.hasNonNull("kind"), f + ": apiVersion and kind");
          out.put(d.get("kind").asText() + "/" + d.at("/metadata/name").asText(), d);
        }
      }
    }
    return out;
  }

  private static Properties configMapProperties(Map<String, JsonNode> docs) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(docs.get("ConfigMap/llavaseg-config").at("/data/service.properties").asText()));
    return p;
  }

  @Test
  void eachDeploymentRunsAValidConfigurationWithMatchingPortsProbesGroupsAndDevices() throws IOException {
    Map<String, JsonNode> docs = byKindAndName();
    Properties base = configMapProperties(docs);
    Map<String, String> inputTopic = Map.of("reasoning", Topics.IMAGE_QUERIES, "segmentation",
        Topics.IMAGE_QUERIES_REASONED);
    for (String stage : List.of("reasoning", "segmentation")) {
      JsonNode dep = docs.get("Deployment/llavaseg-" + stage);
      JsonNode container = dep.at("/spec/template/spec/containers/0");
      Properties props = new Properties();
      props.putAll(base);
      List<String> args = new ArrayList<>();
      container.get("args").forEach(a -> args.add(a.asText()));
      // the image's entrypoint is ServiceMain: its own parser reads the Deployment's args
      ServiceMain.Arguments parsed = ServiceMain.parse(args.toArray(String[]::new));
      assertEquals(Path.of("/config/service.properties"), parsed.config(), stage);
      assertFalse(parsed.printConfig() || parsed.help(), stage);
      props.putAll(parsed.overrides());
      ServiceConfig config = ServiceConfig.from(props);
      assertEquals(Set.of(Stage.valueOf(stage.toUpperCase())), config.stages(), stage);
      int port = config.metricsPort();
      assertEquals(port, container.at("/ports/0/containerPort").asInt());
      assertEquals("metrics", container.at("/ports/0/name").asText());
      assertEquals(Integer.toString(port), dep.at("/spec/template/metadata/annotations/prometheus.io~1port").asText());
      boolean jsonLogs = false;
      for (var env : container.at("/env")) {
        jsonLogs |= env.at("/name").asText().equals("LLAVASEG_LOG_FORMAT") && env.at("/value").asText().equals("json");
      }
      assertTrue(jsonLogs, stage + ": JSON log lines for the cluster's log collector");
      assertEquals(Health.LIVE_PATH, container.at("/livenessProbe/httpGet/path").asText());
      assertEquals(Health.READY_PATH, container.at("/readinessProbe/httpGet/path").asText());
      assertEquals("/config", container.at("/volumeMounts/0/mountPath").asText());
      // a GPU per pod, and a device setting that uses it
      assertEquals(1, container.at("/resources/limits/nvidia.com~1gpu").asInt());
      assertTrue(container.at("/image").asText().endsWith("-cuda"),
          stage + ": a pod with a GPU runs the image of a CUDA build (-Pcuda), not the CPU image");
      assertFalse(DevicePlan.parse(config.inferenceDevices(), () -> 1).devices().contains("cpu"));
      // KEDA scales the stage on its own consumer group's lag on its input topic
      JsonNode scaled = docs.get("ScaledObject/llavaseg-" + stage);
      assertEquals("llavaseg-" + stage, scaled.at("/spec/scaleTargetRef/name").asText());
      assertEquals(config.applicationId(), scaled.at("/spec/triggers/0/metadata/consumerGroup").asText());
      assertEquals(inputTopic.get(stage), scaled.at("/spec/triggers/0/metadata/topic").asText());
      assertEquals(base.getProperty("bootstrap.servers"), scaled.at("/spec/triggers/0/metadata/bootstrapServers").asText());
      JsonNode pdb = docs.get("PodDisruptionBudget/llavaseg-" + stage);
      assertEquals(dep.at("/spec/selector/matchLabels"), pdb.at("/spec/selector/matchLabels"));
    }
  }

  /**
   * The CPU overlay (k8s/cpu, kustomize) applied as kustomize would: its image tag and JSON patches
   * give each Deployment the CPU image, no GPU request and the cpu device, still a valid
   * configuration for its stage.
   */
  @Test
  void theCpuOverlayRunsTheCpuImageWithoutAGpu() throws IOException {
    Map<String, JsonNode> docs = byKindAndName();
    JsonNode base = documents(DEPLOY.resolve("k8s/kustomization.yaml")).get(0);
    for (String stage : List.of("reasoning", "segmentation")) {
      assertTrue(base.get("resources").toString().contains("deployment-" + stage + ".yaml"), stage);
    }
    JsonNode overlay = documents(DEPLOY.resolve("k8s/cpu/kustomization.yaml")).get(0);
    assertEquals("[\"..\"]", overlay.get("resources").toString());
    Properties config = configMapProperties(docs);
    for (String stage : List.of("reasoning", "segmentation")) {
      com.fasterxml.jackson.databind.node.ObjectNode dep = docs.get("Deployment/llavaseg-" + stage).deepCopy();
      for (JsonNode image : overlay.get("images")) {
        JsonNode c = dep.at("/spec/template/spec/containers/0");
        String name = c.get("image").asText();
        if (name.substring(0, name.lastIndexOf(':')).equals(image.get("name").asText())) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) c).put("image",
              image.get("name").asText() + ":" + image.get("newTag").asText());
        }
      }
      for (JsonNode patch : overlay.get("patches")) {
        assertEquals("Deployment", patch.at("/target/kind").asText());
        for (JsonNode op : yaml.readTree(patch.get("patch").asText())) {
          String path = op.get("path").asText();
          String parent = path.substring(0, path.lastIndexOf('/'));
          String last = path.substring(path.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
          JsonNode target = dep.at(parent);
          assertFalse(target.isMissingNode(), stage + ": " + path + " exists");
          switch (op.get("op").asText()) {
            case "remove" -> assertTrue(((com.fasterxml.jackson.databind.node.ObjectNode) target).remove(last) != null,
                stage + ": " + path + " removed");
            case "add" -> {
              assertEquals("-", last, "appends only");
              ((com.fasterxml.jackson.databind.node.ArrayNode) target).add(op.get("value"));
            }
            default -> throw new AssertionError("unexpected op " + op);
          }
        }
      }
      JsonNode container = dep.at("/spec/template/spec/containers/0");
      String image = container.get("image").asText();
      String cuda = docs.get("Deployment/llavaseg-" + stage).at("/spec/template/spec/containers/0/image").asText();
      assertEquals(cuda.substring(0, cuda.length() - "-cuda".length()), image, stage + ": the CPU build's image");
      assertFalse(container.toString().contains("nvidia.com/gpu"), stage + ": no GPU request");
      List<String> args = new ArrayList<>();
      container.get("args").forEach(a -> args.add(a.asText()));
      ServiceMain.Arguments parsed = ServiceMain.parse(args.toArray(String[]::new));
      Properties props = new Properties();
      props.putAll(config);
      props.putAll(parsed.overrides());
      ServiceConfig cpu = ServiceConfig.from(props);
      assertEquals(Set.of(Stage.valueOf(stage.toUpperCase())), cpu.stages(), stage);
      assertEquals(List.of("cpu"), DevicePlan.parse(cpu.inferenceDevices(), () -> 1).devices(), stage);
    }
  }

  @Test
  void theScrapeConfigKeepsAnnotatedPodsAndTheDashboardQueriesOnlyMetricsTheServiceExposes() throws IOException {
    JsonNode scrape = documents(DEPLOY.resolve("prometheus/scrape.yaml")).get(0);
    assertEquals("llavaseg", scrape.at("/scrape_configs/0/job_name").asText());
    assertTrue(scrape.toString().contains("__meta_kubernetes_pod_annotation_prometheus_io_scrape"));

    InferenceMetrics m = InferenceMetrics.standalone();
    m.deadLetter("reasoning", "X");
    m.frameSkipped("STALE");
    m.standingQueries(1);
    m.modelLoaded("m", "v1", "cpu", 1);
    m.watchArrays("m", "cpu", () -> 1);
    Set<String> names = new HashSet<>();
    for (MetricSnapshot s : m.registry().scrape()) {
      String n = s.getMetadata().getPrometheusName();
      names.add(n);
      for (String suffix : List.of("_bucket", "_count", "_sum", "_total")) {
        names.add(n + suffix);
      }
    }
    JsonNode dash = new ObjectMapper().readTree(DEPLOY.resolve("grafana/llavaseg-dashboard.json").toFile());
    Pattern metric = Pattern.compile("\\b(llavaseg_[a-z_]+)");
    int checked = 0;
    for (JsonNode panel : dash.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        Matcher mm = metric.matcher(target.get("expr").asText());
        while (mm.find()) {
          assertTrue(names.contains(mm.group(1)), panel.get("title").asText() + ": no metric " + mm.group(1));
          checked++;
        }
      }
    }
    assertTrue(checked >= 10, "the dashboard queries the service's metrics: " + checked);
  }
}
