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
 * @param decoderChannels feature channels of the decoder stage of each level ({@code
 *     decoderChannels}, default {@code 8,8,16,32}), one per level below the bottleneck
 * @param embedDim word embedding width ({@code embedDim}, default 64)
 * @param promptDim width of the prompt vector that drives every FiLM layer ({@code promptDim},
 *     default 128)
 * @param vocabSize number of tokens in {@code vocab.txt}
 */
public record SegmenterConfig(
    int size, int[] channels, int[] decoderChannels, int embedDim, int promptDim, int vocabSize) {
  /** RGB plus x and y coordinate channels. */
  public static final int INPUT_CHANNELS = 5;

  public static final int[] DEFAULT_CHANNELS = {8, 16, 32, 64, 128};
  public static final int[] DEFAULT_DECODER_CHANNELS = {8, 8, 16, 32};

  public SegmenterConfig {
    if (channels.length < 2) {
      throw new IllegalArgumentException("need at least one level and a bottleneck");
    }
    int div = 1 << (channels.length - 1);
    if (size < div || size % div != 0) {
      throw new IllegalArgumentException("size " + size + " must be a multiple of " + div);
    }
    if (decoderChannels.length != channels.length - 1) {
      throw new IllegalArgumentException("need one decoder width per level: " + (channels.length - 1));
    }
    channels = channels.clone();
    decoderChannels = decoderChannels.clone();
  }

  public static SegmenterConfig defaults(int vocabSize) {
    return new SegmenterConfig(128, DEFAULT_CHANNELS, DEFAULT_DECODER_CHANNELS, 64, 128, vocabSize);
  }

  /** Reads the keys written by {@link #toProperties}; missing keys take the defaults. */
  public static SegmenterConfig from(Map<String, ?> args, int vocabSize) {
    return new SegmenterConfig(
        ArgumentsUtil.intValue(args, "size", 128),
        ints(ArgumentsUtil.stringValue(args, "channels", "8,16,32,64,128")),
        ints(ArgumentsUtil.stringValue(args, "decoderChannels", "8,8,16,32")),
        ArgumentsUtil.intValue(args, "embedDim", 64),
        ArgumentsUtil.intValue(args, "promptDim", 128),
        vocabSize);
  }

  /** Parses a comma-separated list of integers. */
  public static int[] ints(String list) {
    return Arrays.stream(list.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
  }

  public void toProperties(Properties p) {
    p.setProperty("size", Integer.toString(size));
    p.setProperty(
        "channels", Arrays.stream(channels).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    p.setProperty(
        "decoderChannels",
        Arrays.stream(decoderChannels).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    p.setProperty("embedDim", Integer.toString(embedDim));
    p.setProperty("promptDim", Integer.toString(promptDim));
  }

  @Override
  public int[] channels() {
    return channels.clone();
  }

  @Override
  public int[] decoderChannels() {
    return decoderChannels.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SegmenterConfig c
        && c.size == size
        && Arrays.equals(c.channels, channels)
        && Arrays.equals(c.decoderChannels, decoderChannels)
        && c.embedDim == embedDim
        && c.promptDim == promptDim
        && c.vocabSize == vocabSize;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(channels) + 37 * Arrays.hashCode(decoderChannels) + size + 7 * embedDim + 13 * promptDim + 17 * vocabSize;
  }

  @Override
  public String toString() {
    return "SegmenterConfig[size=" + size + ", channels=" + Arrays.toString(channels)
        + ", decoderChannels=" + Arrays.toString(decoderChannels)
        + ", embedDim=" + embedDim + ", promptDim=" + promptDim + ", vocabSize=" + vocabSize + "]";
  }
}
