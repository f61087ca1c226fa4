package io.llavaseg.ops.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The build respects the user's Maven settings and chooses PyTorch natives per platform
 * (docs/platforms.md): {@code .mvn/maven.config} names no settings file, the optional one exists and
 * is documented; every platform profile's classifier is accepted by the enforcer rule and has a JNI
 * library in the {@code pytorch-jni} jar this build resolves (so a DJL upgrade that drops a platform
 * fails here, not on a user's machine at model load); the repositories the registry module
 * redirects are disabled, never contacted.
 */
class BuildSettingsTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void mavenConfigForcesNoSettingsFile() throws IOException {
    List<String> tokens =
        Arrays.asList(Files.readString(ROOT.resolve(".mvn/maven.config")).trim().split("\\s+"));
    for (String t : tokens) {
      for (String banned : List.of("-s", "--settings", "-gs", "--global-settings")) {
        assertFalse(
            t.equals(banned) || t.startsWith(banned + "="),
            ".mvn/maven.config must not force a settings file (" + t + "): users' own"
                + " ~/.m2/settings.xml (mirrors, proxies) would be replaced; see docs/platforms.md");
      }
    }
    assertTrue(tokens.contains("--batch-mode"), tokens.toString());
  }

  @Test
  void optionalSettingsFileExistsAndIsDocumented() throws Exception {
    Path optional = ROOT.resolve(".mvn/settings-central-only.xml");
    Document settings = parse(optional);
    assertEquals("*", text(settings.getDocumentElement(), "mirrors", "mirror", "mirrorOf"));
    assertTrue(
        Files.readString(ROOT.resolve("docs/platforms.md")).contains(".mvn/settings-central-only.xml"),
        "docs/platforms.md explains the optional settings file");
  }

  @Test
  void everyPlatformProfileHasNativesTheEnforcerAcceptsAndAJniLibrary() throws Exception {
    Element project = parse(ROOT.resolve("pom.xml")).getDocumentElement();
    Map<String, String> classifierByProfile = new TreeMap<>();
    for (Element profile : children(child(project, "profiles"), "profile")) {
      String id = text(profile, "id");
      if (id.startsWith("platform-")) {
        Element props = child(profile, "properties");
        Element c = props == null ? null : child(props, "pytorch.native.classifier");
        if (c != null) {
          classifierByProfile.put(id, c.getTextContent().trim());
        }
      }
    }

    Element rule = (Element) project.getElementsByTagName("requireProperty").item(0);
    assertNotNull(rule, "the enforcer's requireProperty rule on pytorch.native.classifier");
    assertEquals("pytorch.native.classifier", text(rule, "property"));
    Pattern accepted = Pattern.compile(text(rule, "regex"));
    String fallback = text(child(project, "properties"), "pytorch.native.classifier");
    assertFalse(accepted.matcher(fallback).matches(), "an unknown platform must fail the enforcer");

    for (var e : classifierByProfile.entrySet()) {
      String classifier = e.getValue();
      assertTrue(accepted.matcher(classifier).matches(), e + " is refused by the enforcer rule");
      String lib =
          classifier.startsWith("win-")
              ? "djl_torch.dll"
              : classifier.startsWith("osx-") ? "libdjl_torch.dylib" : "libdjl_torch.so";
      String resource = "jnilib/" + classifier + "/cpu/" + lib;
      assertNotNull(
          getClass().getClassLoader().getResource(resource),
          e + ": the pytorch-jni jar on the classpath has no " + resource);
    }
    // the four platforms docs/platforms.md promises
    assertEquals(
        new TreeSet<>(List.of("linux-x86_64", "linux-aarch64", "osx-aarch64", "win-x86_64")),
        new TreeSet<>(classifierByProfile.values()),
        "platform profiles: " + classifierByProfile);
  }

  @Test
  void registryModuleRedirectedRepositoriesAreDisabled() throws Exception {
    Element project = parse(ROOT.resolve("ops/registry/pom.xml")).getDocumentElement();
    List<String> ids = new ArrayList<>();
    for (Element repo : children(child(project, "repositories"), "repository")) {
      String id = text(repo, "id");
      ids.add(id);
      assertEquals("false", text(repo, "releases", "enabled"), id);
      assertEquals("false", text(repo, "snapshots", "enabled"), id);
    }
    assertTrue(ids.containsAll(List.of("confluent", "jitpack.io", "sonatype-snapshots")), ids.toString());
    assertFalse(ids.contains("central"), "Central itself must stay enabled");
  }

  private static Document parse(Path file) throws Exception {
    var f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(false);
    return f.newDocumentBuilder().parse(file.toFile());
  }

  private static Element child(Element parent, String name) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element el && el.getTagName().equals(name)) {
        return el;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    assertNotNull(parent, "<" + name + "> container");
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element el && el.getTagName().equals(name)) {
        out.add(el);
      }
    }
    return out;
  }

  private static String text(Element parent, String... path) {
    Element e = parent;
    for (String p : path) {
      e = child(e, p);
      assertNotNull(e, String.join("/", path));
    }
    return e.getTextContent().trim();
  }
}
