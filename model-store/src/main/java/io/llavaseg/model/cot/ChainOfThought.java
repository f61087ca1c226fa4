package io.llavaseg.model.cot;

import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.TargetAttributes;
import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * LLaVASeg's chain of thought over a frozen {@link Reasoner}, in the paper's order: (1) answer the
 * user as the plain model would (the answer prompt is the question itself by default, so the
 * published answer is exactly the plain chat reply), (2) reason out the target's simple
 * description, (3) extract its visual attributes. Replies are parsed strictly; a reply that does not
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

  public Reasoning run(Reasoner reasoner, BufferedImage image, String question) {
    try (ImageChat chat = reasoner.open(image)) {
      Generation answer = chat.ask(templates.answerPrompt(question));
      Generation target = chat.ask(templates.targetPrompt(question));
      int tokens = answer.generatedTokens() + target.generatedTokens();
      double answerMs = answer.prefillMs() + answer.decodeMs();
      double targetMs = target.prefillMs() + target.decodeMs();
      ReplyParser.TargetReply reply = ReplyParser.parseTarget(target.text());
      if (reply instanceof ReplyParser.TargetReply.NoTarget) {
        return result(reasoner, chat, answer, null, null, null, answerMs, targetMs, 0, tokens);
      }
      if (reply instanceof ReplyParser.TargetReply.Unparseable u) {
        return result(reasoner, chat, answer, null, null, UNPARSEABLE_TARGET + ": " + u.reason(),
            answerMs, targetMs, 0, tokens);
      }
      String description = ((ReplyParser.TargetReply.Target) reply).description();
      Generation attributes = chat.ask(templates.attributesPrompt(description));
      double attributesMs = attributes.prefillMs() + attributes.decodeMs();
      tokens += attributes.generatedTokens();
      Optional<TargetAttributes> parsed = ReplyParser.parseAttributes(attributes.text());
      if (parsed.isEmpty()) {
        return result(reasoner, chat, answer, null, null,
            UNPARSEABLE_ATTRIBUTES + ": not one 'color: ..; shape: ..; size: ..; location: ..' line: "
                + ReplyParser.abbreviate(attributes.text()),
            answerMs, targetMs, attributesMs, tokens);
      }
      return result(reasoner, chat, answer, description, parsed.get(), null,
          answerMs, targetMs, attributesMs, tokens);
    }
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
