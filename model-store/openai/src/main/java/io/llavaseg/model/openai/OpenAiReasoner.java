package io.llavaseg.model.openai;

import io.llavaseg.model.Generation;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.ReplyFormat;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import javax.imageio.ImageIO;

/**
 * A frozen MLLM behind an OpenAI-compatible server as a {@link Reasoner}. Opening an image encodes
 * it once as a PNG data URL; every prompt about it is its own stateless single-turn request (the
 * server keeps no conversation, so the dialogue answer is exactly the model's plain chat answer).
 * {@link #askAll} sends a batch's requests at once, up to the client's concurrency bound, and the
 * server batches them. The model id is {@link #modelId}'s.
 */
public final class OpenAiReasoner implements Reasoner {
  private final ChatCompletions client;
  private final ExecutorService requests;
  private final ModelId id;

  OpenAiReasoner(ChatCompletions client, ExecutorService requests) {
    this.client = client;
    this.requests = requests;
    this.id = modelId(client.settings());
  }

  @Override
  public ImageChat open(BufferedImage image) {
    long start = System.nanoTime();
    String url = dataUrl(image);
    double ms = (System.nanoTime() - start) / 1e6;
    return new Chat(url, ms);
  }

  /** One image's data URL; each prompt a request, in the reply format asked for. */
  private final class Chat implements ImageChat {
    private final String url;
    private final double visionMs;

    Chat(String url, double visionMs) {
      this.url = url;
      this.visionMs = visionMs;
    }

    @Override
    public double visionMs() {
      return visionMs;
    }

    @Override
    public Generation ask(String prompt) {
      return ask(prompt, ReplyFormat.TEXT);
    }

    Generation ask(String prompt, ReplyFormat format) {
      return client.complete(prompt, url, format);
    }

    @Override
    public void close() {}
  }

  @Override
  public List<Generation> askAll(List<ImageChat> chats, List<String> prompts) {
    return askAll(chats, prompts, ReplyFormat.TEXT);
  }

  /** Sends the batch's requests at once (up to the client's bound), each in {@code format}. */
  @Override
  public List<Generation> askAll(List<ImageChat> chats, List<String> prompts, ReplyFormat format) {
    if (chats.size() != prompts.size()) {
      throw new IllegalArgumentException(chats.size() + " chats but " + prompts.size() + " prompts");
    }
    if (chats.size() == 1) {
      return List.of(((Chat) chats.get(0)).ask(prompts.get(0), format));
    }
    List<CompletableFuture<Generation>> replies = new ArrayList<>();
    for (int i = 0; i < chats.size(); i++) {
      Chat chat = (Chat) chats.get(i);
      String prompt = prompts.get(i);
      replies.add(CompletableFuture.supplyAsync(() -> chat.ask(prompt, format), requests));
    }
    List<Generation> out = new ArrayList<>();
    for (CompletableFuture<Generation> f : replies) {
      try {
        out.add(f.join());
      } catch (CompletionException e) {
        replies.forEach(r -> r.cancel(false));
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
    }
    return out;
  }

  @Override
  public ModelId modelId() {
    return id;
  }

  @Override
  public void close() {}

  /**
   * {@code <name>:<version>@<host:port> via openai}: the served model's name split at its last
   * colon as Ollama names versions ({@code llava:7b}), version {@code -} when it has none.
   */
  static ModelId modelId(OpenAiSettings s) {
    String model = s.model();
    int colon = model.lastIndexOf(':');
    String name = colon > 0 ? model.substring(0, colon) : model;
    String version = colon > 0 && colon < model.length() - 1 ? model.substring(colon + 1) : "-";
    int port = s.baseUrl().getPort() >= 0 ? s.baseUrl().getPort() : "https".equals(s.baseUrl().getScheme()) ? 443 : 80;
    return new ModelId(name, version, s.baseUrl().getHost() + ":" + port, "openai");
  }

  /** {@code data:image/png;base64,...}. */
  static String dataUrl(BufferedImage image) {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", png)) {
        throw new IllegalArgumentException("cannot encode the image as PNG");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
  }
}
