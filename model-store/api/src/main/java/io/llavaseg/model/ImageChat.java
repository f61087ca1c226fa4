package io.llavaseg.model;

/** Single-turn prompts about one encoded image (see {@link Reasoner#open}). */
public interface ImageChat extends AutoCloseable {

  /** Milliseconds spent encoding the image. */
  double visionMs();

  /** The model's reply to one user prompt about the image (greedy, deterministic). */
  Generation ask(String prompt);

  @Override
  void close();
}
