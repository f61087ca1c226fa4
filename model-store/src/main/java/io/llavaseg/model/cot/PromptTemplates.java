package io.llavaseg.model.cot;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * LLaVASeg's prompt templates, read from configuration (a reasoner model folder's {@code
 * prompts.properties}, or the service's properties). {@code {question}} and {@code {target}} are
 * replaced literally; nothing else in the user's text is interpreted.
 *
 * <pre>
 * prompt.answer = {question}
 * prompt.target = {question} What is the target region? Answer with a short description.
 * prompt.attributes = Describe the colour, shape, size and location of {target}.
 * </pre>
 */
public record PromptTemplates(String answer, String target, String attributes) {

  public static final PromptTemplates DEFAULT =
      new PromptTemplates(
          "{question}",
          "{question} What is the target region? Answer with a short description.",
          "Describe the colour, shape, size and location of {target}.");

  public PromptTemplates {
    require(answer, "{question}", "prompt.answer");
    require(target, "{question}", "prompt.target");
    require(attributes, "{target}", "prompt.attributes");
  }

  /** Reads {@code prompt.answer}, {@code prompt.target}, {@code prompt.attributes}; defaults fill gaps. */
  public static PromptTemplates from(Properties props) {
    return new PromptTemplates(
        props.getProperty("prompt.answer", DEFAULT.answer),
        props.getProperty("prompt.target", DEFAULT.target),
        props.getProperty("prompt.attributes", DEFAULT.attributes));
  }

  public static PromptTemplates load(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    }
    return from(props);
  }

  public String answerPrompt(String question) {
    return answer.replace("{question}", question);
  }

  public String targetPrompt(String question) {
    return target.replace("{question}", question);
  }

  public String attributesPrompt(String targetDescription) {
    return attributes.replace("{target}", targetDescription);
  }

  private static void require(String template, String placeholder, String key) {
    if (template == null || !template.contains(placeholder)) {
      throw new IllegalArgumentException(key + " must contain " + placeholder + ": " + template);
    }
  }
}
