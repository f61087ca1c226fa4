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
 * replaced literally, in one pass: nothing in the user's text or the target is interpreted (a
 * question containing {@code {target}} stays as typed).
 *
 * <pre>
 * prompt.answer = {question}
 * prompt.target = {question} What is the target region? Answer with a short description.
 * prompt.attributes = {question} Describe the colour, shape, size and location of {target}.
 * </pre>
 *
 * <p>The attribute step carries the user's question as well as the target ({@code {question}} is
 * optional there): in LLaVASeg the attribute extraction is a later turn of the same conversation,
 * so the model knows which object the question was about. Without it, "the yellow square" in a scene
 * with two yellow squares names either one, and the attribute line (hence the mask) is a coin flip.
 * A folder trained without it keeps its own templates in its {@code prompts.properties}.
 *
 * <p>{@code replies} says how the model's replies are read ({@link ReplyStyle}): {@code strict}
 * (the default) for the project's own reasoner, {@code open} for a real MLLM.
 */
public record PromptTemplates(String answer, String target, String attributes, ReplyStyle replies) {

  public static final PromptTemplates DEFAULT =
      new PromptTemplates(
          "{question}",
          "{question} What is the target region? Answer with a short description.",
          "{question} Describe the colour, shape, size and location of {target}.");

  public PromptTemplates {
    require(answer, "{question}", "prompt.answer");
    require(target, "{question}", "prompt.target");
    require(attributes, "{target}", "prompt.attributes");
    if (replies == null) {
      throw new IllegalArgumentException("replies must be strict or open");
    }
  }

  /** Templates whose replies are read strictly. */
  public PromptTemplates(String answer, String target, String attributes) {
    this(answer, target, attributes, ReplyStyle.STRICT);
  }

  /**
   * Reads {@code prompt.answer}, {@code prompt.target}, {@code prompt.attributes} and {@code
   * replies}; defaults fill gaps.
   */
  public static PromptTemplates from(Properties props) {
    return new PromptTemplates(
        props.getProperty("prompt.answer", DEFAULT.answer),
        props.getProperty("prompt.target", DEFAULT.target),
        props.getProperty("prompt.attributes", DEFAULT.attributes),
        ReplyStyle.parse(props.getProperty("replies", "strict")));
  }

  /** These templates with their replies read in {@code style}. */
  public PromptTemplates withReplies(ReplyStyle style) {
    return new PromptTemplates(answer, target, attributes, style);
  }

  public static PromptTemplates load(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    }
    return from(props);
  }

  public String answerPrompt(String question) {
    return fill(answer, question, null);
  }

  public String targetPrompt(String question) {
    return fill(target, question, null);
  }

  /**
   * The attribute step's prompt for {@code targetDescription}, asked about {@code question} (empty
   * when there is none, e.g. an object described for its own sake).
   */
  public String attributesPrompt(String question, String targetDescription) {
    return fill(attributes, question, targetDescription);
  }

  /**
   * Replaces the placeholders in one left-to-right pass (a null value leaves its placeholder as
   * is); when a value was empty, the blanks it leaves at either end are trimmed, else the text is
   * exactly the template's with the values in.
   */
  static String fill(String template, String question, String target) {
    StringBuilder sb = new StringBuilder();
    boolean emptyValue = false;
    int i = 0;
    while (i < template.length()) {
      if (template.startsWith("{question}", i) && question != null) {
        sb.append(question);
        emptyValue |= question.isEmpty();
        i += "{question}".length();
      } else if (template.startsWith("{target}", i) && target != null) {
        sb.append(target);
        emptyValue |= target.isEmpty();
        i += "{target}".length();
      } else {
        sb.append(template.charAt(i++));
      }
    }
    return emptyValue ? sb.toString().strip() : sb.toString();
  }

  private static void require(String template, String placeholder, String key) {
    if (template == null || !template.contains(placeholder)) {
      throw new IllegalArgumentException(key + " must contain " + placeholder + ": " + template);
    }
  }
}
