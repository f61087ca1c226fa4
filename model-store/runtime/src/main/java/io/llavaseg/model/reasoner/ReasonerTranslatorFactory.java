package io.llavaseg.model.reasoner;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;

/** Named by {@code translatorFactory} in the model folder's {@code serving.properties}: NDList to NDList. */
public final class ReasonerTranslatorFactory implements TranslatorFactory {
  @Override
  public Set<Pair<Type, Type>> getSupportedTypes() {
    return Set.of(new Pair<>(NDList.class, NDList.class));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
      throws TranslateException {
    if (input != NDList.class || output != NDList.class) {
      throw new TranslateException("the reasoner translates NDList to NDList, not " + input + " to " + output);
    }
    return (Translator<I, O>) new ReasonerTranslator();
  }
}
