package io.llavaseg.model.segmenter;

import ai.djl.translate.ArgumentsUtil;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The segmenter network's shape, stored in the model folder's {@code serving.properties} so that
 * the folder fully describes how to rebuild the block before its weights are loaded.
 *
 * @param size the square input side in pixels ({@code size}, default 128); a multiple of {@code
 *     2^(levels)}
 * @param channels feature channels per U-Net level, the last one is the bottleneck ({@code
 *     channels}, default {@code 8,16,32,64,128}: four poolings, bottleneck at size/16)
 * @param embedDim word embedding width ({@code embedDim}, default 64)
 * @param promptDim width of the prompt vector that drives every FiLM layer ({@code promptDim},
 *     default 128)
 * @param vocabSize number of tokens in {@code vocab.txt}
 */
public record SegmenterConfig(int size, int[] channels, int embedDim, int promptDim, int vocabSize) {
  /** RGB plus x and y coordinate channels. */
  public static final int INPUT_CHANNELS = 5;

  public static final int[] DEFAULT_CHANNELS = {8, 16, 32, 64, 128};

  public SegmenterConfig {
    if (channels.length < 2) {
      throw new IllegalArgumentException("need at least one level and a bottleneck");
    }
    int div = 1 << (channels.length - 1);
    if (size < div || size % div != 0) {
      throw new IllegalArgumentException("size " + size + " must be a multiple of " + div);
    }
    channels = channels.clone();
  }

  public static SegmenterConfig defaults(int vocabSize) {
    return new SegmenterConfig(128, DEFAULT_CHANNELS, 64, 128, vocabSize);
  }

  /** Reads the keys written by {@link #toProperties}; missing keys take the defaults. */
  public static SegmenterConfig from(Map<String, ?> args, int vocabSize) {
    String ch = ArgumentsUtil.stringValue(args, "channels", "8,16,32,64,128");
    return new SegmenterConfig(
        ArgumentsUtil.intValue(args, "size", 128),
        Arrays.stream(ch.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray(),
        ArgumentsUtil.intValue(args, "embedDim", 64),
        ArgumentsUtil.intValue(args, "promptDim", 128),
        vocabSize);
  }

  public void toProperties(Properties p) {
    p.setProperty("size", Integer.toString(size));
    p.setProperty(
        "channels", Arrays.stream(channels).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    p.setProperty("embedDim", Integer.toString(embedDim));
    p.setProperty("promptDim", Integer.toString(promptDim));
  }

  @Override
  public int[] channels() {
    return channels.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegmenterConfig c
        && c.size == size
        && Arrays.equals(c.channels, channels)
        && c.embedDim == embedDim
        && c.promptDim == promptDim
        && c.vocabSize == vocabSize;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(channels) + size + 7 * embedDim + 13 * promptDim + 17 * vocabSize;
  }

  @Override
  public String toString() {
    return "SegmenterConfig[size=" + size + ", channels=" + Arrays.toString(channels)
        + ", embedDim=" + embedDim + ", promptDim=" + promptDim + ", vocabSize=" + vocabSize + "]";
  }
}
