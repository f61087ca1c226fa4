package io.llavaseg.model.segmenter;

import ai.djl.Model;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A segmenter model folder in DJL's convention: {@code segmenter-0000.params} (weights), {@code
 * serving.properties} (engine, translator factory and its arguments, the network's shape) and
 * {@code vocab.txt}. Writing replaces those three files and leaves any others (the model card).
 */
public final class SegmenterFolder {
  /** The weights' file prefix ({@code segmenter-0000.params}). */
  public static final String PREFIX = "segmenter";

  public static final String DEFAULT_NAME = "shapeworld-segmenter";

  private SegmenterFolder() {}

  public static void write(Path dir, Model model, SegmenterConfig config, PromptVocabulary vocabulary, float threshold)
      throws IOException {
    write(dir, model, config, vocabulary, threshold, false);
  }

  /** As above; {@code flipAverage} is the translator's argument of that name ({@link SegmenterTranslator}). */
  public static void write(Path dir, Model model, SegmenterConfig config, PromptVocabulary vocabulary, float threshold,
      boolean flipAverage) throws IOException {
    Files.createDirectories(dir);
    // DJL numbers saved weights by the "Epoch" property, else by the highest file present + 1:
    // pin it so that a folder always holds exactly one segmenter-0000.params
    model.setProperty("Epoch", "0");
    try (var old = Files.newDirectoryStream(dir, PREFIX + "-*.params")) {
      for (Path p : old) {
        Files.delete(p);
      }
    }
    model.save(dir, PREFIX);
    vocabulary.write(dir.resolve("vocab.txt"));
    Properties p = new Properties();
    p.setProperty("name", DEFAULT_NAME);
    p.setProperty("engine", "PyTorch");
    p.setProperty("translatorFactory", SegmenterTranslatorFactory.class.getName());
    p.setProperty("vocabulary", "vocab.txt");
    p.setProperty("threshold", Float.toString(threshold));
    if (flipAverage) {
      p.setProperty("flipAverage", "true");
    }
    config.toProperties(p);
    try (Writer w = Files.newBufferedWriter(dir.resolve("serving.properties"), StandardCharsets.UTF_8)) {
      p.store(w, "shapeworld segmenter: DJL serving.properties (see MODEL_CARD.md)");
    }
  }

  public static Properties readProperties(Path dir) throws IOException {
    Properties p = new Properties();
    Path file = dir.resolve("serving.properties");
    if (Files.isRegularFile(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      }
    }
    return p;
  }

  public static boolean hasWeights(Path dir) {
    return Files.isRegularFile(dir.resolve(PREFIX + "-0000.params"));
  }
}
