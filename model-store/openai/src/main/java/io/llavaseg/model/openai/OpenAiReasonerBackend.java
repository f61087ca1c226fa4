package io.llavaseg.model.openai;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.backend.BackendContext;
import io.llavaseg.model.backend.BackendSetting;
import io.llavaseg.model.backend.BackendSetting.Type;
import io.llavaseg.model.backend.ReasonerBackend;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.model.cot.ReplyStyle;
import java.net.URI;
import java.util.List;

/**
 * {@code llavaseg.reasoner.backend=openai}: a frozen MLLM behind an OpenAI-compatible Chat
 * Completions server ({@link OpenAiReasoner}), its settings under {@code llavaseg.reasoner.openai.}.
 * No model folder is read; the prompts are {@code llavaseg.prompts.file} when set, else the default
 * templates, with replies read as {@code replies} says ({@code open} by default).
 */
public final class OpenAiReasonerBackend implements ReasonerBackend {

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public List<BackendSetting> settings() {
    return List.of(
        new BackendSetting("base.url", Type.STRING, "http://127.0.0.1:8000/v1",
            "The server's API base, ending in /v1: vLLM http://HOST:8000/v1, Ollama http://HOST:11434/v1, "
                + "llama.cpp's server http://HOST:8080/v1, ops/llavaseg serve http://HOST:8000/v1."),
        new BackendSetting("model", Type.STRING, "",
            "The model name the server serves (its GET /v1/models), e.g. llava-hf/llava-1.5-7b-hf or llava:7b. Required."),
        new BackendSetting("api.key", Type.PASSWORD, "",
            "Sent as 'Authorization: Bearer <key>' when set; use ${file:/path} or ${env:NAME} for a secret."),
        new BackendSetting("request.timeout", Type.DURATION, "30s",
            "The longest one request may take; a slower one counts as a failure and is retried. A record whose"
                + " reasoning outlasts llavaseg.inference.timeout is retried too, never dead-lettered."),
        new BackendSetting("max.concurrency", Type.INT, "8",
            "Requests in flight at once from this instance; the server batches them."),
        new BackendSetting("max.retries", Type.INT, "3",
            "Further attempts after a 429, a 5xx, a timeout or a refused connection, before the record waits "
                + "for the model (it is retried, never dead-lettered)."),
        new BackendSetting("retry.backoff", Type.DURATION, "500ms",
            "The wait before the first retry, doubled for each next one (a longer Retry-After wins)."),
        new BackendSetting("max.tokens", Type.INT, "256", "The longest reply asked for, in tokens."),
        new BackendSetting("structured.replies", Type.BOOLEAN, "false",
            "Ask for the target and the attributes as JSON (response_format with a JSON schema), for servers that"
                + " support it (vLLM, llama.cpp's server, OpenAI); a server that ignores it is read as plain text."),
        new BackendSetting("replies", Type.STRING, "open",
            "How replies are read: open (what real MLLMs write) or strict (the project's exact formats)."));
  }

  @Override
  public boolean remote() {
    return true;
  }

  @Override
  public ModelHandle<Reasoner> load(BackendContext context) {
    return OpenAiModels.reasoner(settings(context));
  }

  @Override
  public PromptTemplates prompts(BackendContext context) {
    return PromptTemplates.DEFAULT.withReplies(ReplyStyle.parse(context.string("replies")));
  }

  static OpenAiSettings settings(BackendContext c) {
    String model = c.string("model").strip();
    if (model.isEmpty()) {
      throw new IllegalArgumentException(
          "llavaseg.reasoner.openai.model must name the served model (GET <base.url>/models lists them)");
    }
    return new OpenAiSettings(
        URI.create(c.string("base.url").strip()),
        model,
        c.string("api.key"),
        c.duration("request.timeout"),
        Math.max(1, c.integer("max.concurrency")),
        c.integer("max.retries"),
        c.duration("retry.backoff"),
        Math.max(1, c.integer("max.tokens")),
        c.bool("structured.replies"));
  }
}
