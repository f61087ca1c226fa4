package io.llavaseg.model.cot;

import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.ReplyFormat;
import io.llavaseg.model.TargetAttributes;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * LLaVASeg's chain of thought over a frozen {@link Reasoner}, in the paper's order: (1) answer the
 * user as the plain model would (the answer prompt is the question itself by default, so the
 * published answer is exactly the plain chat reply), (2) reason out the target's simple
 * description, (3) extract its visual attributes. Replies are read in the templates' {@link
 * ReplyStyle} (strict for the project's own model, open for a real MLLM); a reply that does not
 * parse leaves the query with its answer, no target and a recorded reason, never an exception.
 */
public final class ChainOfThought {

  /** Stable reason codes recorded when a reply does not parse. */
  public static final String UNPARSEABLE_TARGET = "UNPARSEABLE_TARGET";

  public static final String UNPARSEABLE_ATTRIBUTES = "UNPARSEABLE_ATTRIBUTES";

  private final PromptTemplates templates;

  public ChainOfThought(PromptTemplates templates) {
    this.templates = templates;
  }

  public PromptTemplates templates() {
    return templates;
  }

  /** The chain for one query: {@link #runAll} of a batch of one. */
  public Reasoning run(Reasoner reasoner, BufferedImage image, String question) {
    return runAll(reasoner, List.of(image), List.of(question)).get(0);
  }

  /**
   * The chain for several queries at once, one step at a time across the batch: all images
   * encoded together ({@link Reasoner#openAll}), then every answer, then every target, then the
   * attributes of the queries that named one, each step decoded as one batch ({@link
   * Reasoner#askAll}). Each query's result equals {@link #run} on it alone (as far as the
   * reasoner's batched decoding equals its single one); its timings are its batch's.
   */
  public List<Reasoning> runAll(Reasoner reasoner, List<BufferedImage> images, List<String> questions) {
    if (images.size() != questions.size()) {
      throw new IllegalArgumentException(images.size() + " images but " + questions.size() + " questions");
    }
    int n = images.size();
    List<ImageChat> chats = reasoner.openAll(images);
    try {
      List<String> answerPrompts = new ArrayList<>();
      List<String> targetPrompts = new ArrayList<>();
      for (String q : questions) {
        answerPrompts.add(templates.answerPrompt(q));
        targetPrompts.add(templates.targetPrompt(q));
      }
      List<Generation> answers = reasoner.askAll(chats, answerPrompts, ReplyFormat.TEXT);
      List<Generation> targets = reasoner.askAll(chats, targetPrompts, ReplyFormat.TARGET);
      String[] descriptions = new String[n];
      String[] failures = new String[n];
      List<ImageChat> attributeChats = new ArrayList<>();
      List<String> attributePrompts = new ArrayList<>();
      List<Integer> attributeRows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ReplyParser.TargetReply reply = templates.replies().parseTarget(targets.get(i).text());
        if (reply instanceof ReplyParser.TargetReply.Unparseable u) {
          failures[i] = UNPARSEABLE_TARGET + ": " + u.reason();
        } else if (reply instanceof ReplyParser.TargetReply.Target t) {
          descriptions[i] = t.description();
          attributeChats.add(chats.get(i));
          attributePrompts.add(templates.attributesPrompt(questions.get(i), t.description()));
          attributeRows.add(i);
        }
      }
      Generation[] attributes = new Generation[n];
      List<Generation> replies = reasoner.askAll(attributeChats, attributePrompts, ReplyFormat.ATTRIBUTES);
      for (int k = 0; k < replies.size(); k++) {
        attributes[attributeRows.get(k)] = replies.get(k);
      }
      List<Reasoning> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Generation answer = answers.get(i);
        Generation target = targets.get(i);
        int tokens = answer.generatedTokens() + target.generatedTokens();
        double answerMs = answer.prefillMs() + answer.decodeMs();
        double targetMs = target.prefillMs() + target.decodeMs();
        Generation attr = attributes[i];
        if (attr == null) {
          results.add(result(reasoner, chats.get(i), answer, null, null, failures[i], answerMs, targetMs, 0, tokens));
          continue;
        }
        double attributesMs = attr.prefillMs() + attr.decodeMs();
        tokens += attr.generatedTokens();
        Optional<TargetAttributes> parsed = templates.replies().parseAttributes(attr.text());
        results.add(parsed.isEmpty()
            ? result(reasoner, chats.get(i), answer, null, null, unparseableAttributes(attr), answerMs, targetMs,
                attributesMs, tokens)
            : result(reasoner, chats.get(i), answer, descriptions[i], parsed.get(), null, answerMs, targetMs,
                attributesMs, tokens));
      }
      return results;
    } finally {
      for (ImageChat chat : chats) {
        chat.close();
      }
    }
  }

  private static String unparseableAttributes(Generation attributes) {
    return UNPARSEABLE_ATTRIBUTES + ": no 'color: ..; shape: ..; size: ..; location: ..' attributes in "
        + ReplyParser.abbreviate(attributes.text());
  }

  private static Reasoning result(Reasoner reasoner, ImageChat chat, Generation answer, String target,
      TargetAttributes attributes, String failure, double answerMs, double targetMs, double attributesMs,
      int tokens) {
    return new Reasoning(
        answer.text(),
        Optional.ofNullable(target),
        Optional.ofNullable(attributes),
        Optional.ofNullable(failure),
        reasoner.modelId(),
        new Reasoning.Timings(chat.visionMs(), answerMs, targetMs, attributesMs, tokens));
  }
}
