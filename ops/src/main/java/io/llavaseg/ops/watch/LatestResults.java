package io.llavaseg.ops.watch;

import io.llavaseg.schemas.ImageMask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code watch} shows: for every source (a camera, or a client sending one-off queries) and
 * question, the newest mask record, and the image it was made from. Mask records carry the question
 * and the dialogue answer, so answers need no join; images come from {@code camera-frames} (by
 * {@code frame_id}, the part of a camera query id before the {@code /}) and {@code image-queries} (by
 * {@code query_id}), kept for the newest {@code maxImages} only. A mask may arrive before its image
 * (two topics); the image is looked up when a tile is drawn. Thread-safe: one reader thread writes,
 * HTTP threads read.
 */
public final class LatestResults {

  /** The newest result of one (source, question). {@code imageId} names the image in {@link #image}. */
  public record Entry(String key, String source, String queryId, String imageId, ImageMask mask, Instant seen) {
    public String question() {
      return mask.getQuestion() == null ? "" : mask.getQuestion();
    }

    public String answer() {
      return mask.getAnswer() == null ? "" : mask.getAnswer();
    }

    /** Capture to mask record, as the service stamped both. */
    public long latencyMs() {
      return mask.getMaskedAt().toEpochMilli() - mask.getCaptureTime().toEpochMilli();
    }
  }

  private final Map<String, Entry> latest = new ConcurrentHashMap<>();
  private final Map<String, byte[]> images;
  private final AtomicLong masksSeen = new AtomicLong();
  private final AtomicLong version = new AtomicLong();

  public LatestResults(int maxImages) {
    this.images = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
        return size() > maxImages;
      }
    });
  }

  /** An encoded image (PNG, JPEG) of a camera frame or a one-off query. */
  public void image(String id, byte[] encoded) {
    images.put(id, encoded);
    version.incrementAndGet();
  }

  /** A mask record; replaces the entry of its (source, question) unless that one was captured later. */
  public void mask(ImageMask m, Instant seen) {
    masksSeen.incrementAndGet();
    String queryId = m.getQueryId();
    int slash = queryId.indexOf('/');
    String imageId = slash >= 0 ? queryId.substring(0, slash) : queryId;
    String question = slash >= 0 ? queryId.substring(slash + 1) : "";
    String key = m.getSourceId() + (question.isEmpty() ? "" : " / " + question);
    Entry next = new Entry(key, m.getSourceId(), queryId, imageId, m, seen);
    latest.merge(key, next, (old, now) -> old.mask().getCaptureTime().isAfter(now.mask().getCaptureTime()) ? old : now);
    version.incrementAndGet();
  }

  /** Every entry, by key. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>(latest.values());
    out.sort(Comparator.comparing(Entry::key));
    return out;
  }

  public Optional<Entry> entry(String key) {
    return Optional.ofNullable(latest.get(key));
  }

  public Optional<byte[]> image(String id) {
    return Optional.ofNullable(images.get(id));
  }

  public long masksSeen() {
    return masksSeen.get();
  }

  /** Grows with every update: a page polls it to know when to redraw. */
  public long version() {
    return version.get();
  }
}
