package io.llavaseg.model.segmenter;

import ai.djl.Model;
import ai.djl.translate.ArgumentsUtil;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The {@code translatorFactory} named in a segmenter folder's {@code serving.properties}: builds a
 * {@link SegmenterTranslator} from the arguments {@code size}, {@code threshold} and {@code
 * vocabulary} (a file name relative to the model folder, default {@code vocab.txt}; without the
 * file, the built-in ShapeWorld vocabulary).
 */
public final class SegmenterTranslatorFactory implements TranslatorFactory {

  @Override
  public Set<Pair<Type, Type>> getSupportedTypes() {
    return Set.of(new Pair<>(SegmenterInput.class, MaskPrediction.class));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> Translator<I, O> newInstance(
      Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
      throws TranslateException {
    if (!isSupported(input, output)) {
      throw new IllegalArgumentException("unsupported types " + input + " -> " + output);
    }
    SegmenterTranslator.Builder b = SegmenterTranslator.builder(arguments);
    try {
      b.setVocabulary(vocabulary(model.getModelPath(), arguments));
    } catch (IOException e) {
      throw new TranslateException("cannot read the segmenter vocabulary", e);
    }
    return (Translator<I, O>) b.build();
  }

  static PromptVocabulary vocabulary(Path modelDir, Map<String, ?> arguments) throws IOException {
    String name = ArgumentsUtil.stringValue(arguments, "vocabulary", "vocab.txt");
    Path file = modelDir == null ? null : modelDir.resolve(name);
    return file != null && Files.isRegularFile(file)
        ? PromptVocabulary.read(file)
        : PromptVocabulary.shapeWorld();
  }
}
