package io.llavaseg.model.lisa;

import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.Vocabulary;
import io.llavaseg.model.segmenter.SegmenterConfig;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A LISA variant's folder (e.g. {@code model-store/variants/lisa-v1}): {@code lisa.params} (every
 * weight of the {@link LisaBlock}), {@code vocab.txt} (the reasoner's vocabulary with {@code <seg>}
 * last) and {@code serving.properties} (the reasoner's {@code reasoner.*} keys, the segmenter's
 * network under {@code segmenter.*}, and {@code lisa.segToken}).
 */
public final class LisaFolder {
  public static final String PARAMS = "lisa.params";
  public static final String SEG_TOKEN = "<seg>";

  private LisaFolder() {}

  /** The architecture a folder describes. */
  public record Architecture(ReasonerConfig reasoner, SegmenterConfig segmenter) {}

  public static Architecture readArchitecture(Path dir) throws IOException {
    Properties p = readProperties(dir.resolve("serving.properties"));
    Map<String, Object> seg = new HashMap<>();
    for (String k : p.stringPropertyNames()) {
      if (k.startsWith("segmenter.")) {
        seg.put(k.substring("segmenter.".length()), p.getProperty(k));
      }
    }
    int segVocab = Integer.parseInt(p.getProperty("segmenter.vocabSize").strip());
    return new Architecture(ReasonerConfig.from(p), SegmenterConfig.from(seg, segVocab));
  }

  public static void write(Path dir, LisaBlock block, Vocabulary vocab) throws IOException {
    Files.createDirectories(dir);
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(PARAMS))))) {
      block.saveParameters(out);
    }
    vocab.save(dir.resolve("vocab.txt"));
    Properties p = new Properties();
    p.setProperty("name", LisaModel.NAME);
    p.setProperty("lisa.segToken", SEG_TOKEN);
    p.setProperty("reasoner.maxNewTokens", "40");
    block.reasoner().config().store(p);
    SegmenterConfig sc = block.segmenter().config();
    Properties s = new Properties();
    sc.toProperties(s);
    s.stringPropertyNames().forEach(k -> p.setProperty("segmenter." + k, s.getProperty(k)));
    p.setProperty("segmenter.vocabSize", Integer.toString(sc.vocabSize()));
    try (Writer w = Files.newBufferedWriter(dir.resolve("serving.properties"), StandardCharsets.UTF_8)) {
      p.store(w, "LISA-style variant of the reasoner (not served): io.llavaseg.model.lisa.LisaBlock");
    }
  }

  /** Loads a folder's weights into a fresh block of its architecture. */
  public static void readWeights(Path dir, LisaBlock block, ai.djl.ndarray.NDManager manager) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(PARAMS))))) {
      block.loadParameters(manager, in);
    } catch (ai.djl.MalformedModelException e) {
      throw new IOException("bad LISA weights in " + dir, e);
    }
  }

  public static boolean isFolder(Path dir) {
    return Files.isRegularFile(dir.resolve(PARAMS)) && Files.isRegularFile(dir.resolve("serving.properties"));
  }

  static Properties readProperties(Path f) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return p;
  }
}
