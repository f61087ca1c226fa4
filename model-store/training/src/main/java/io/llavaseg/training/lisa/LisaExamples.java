package io.llavaseg.training.lisa;

import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.model.lisa.LisaFolder;
import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.Vocabulary;
import io.llavaseg.model.segmenter.Letterbox;
import io.llavaseg.model.segmenter.SegmenterConfig;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.training.reasoner.InstructionData;
import io.llavaseg.training.segmenter.MaskRaster;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns a ShapeWorld sample into a {@link LisaExample}. The question goes in the reasoner's answer
 * prompt, as in the first step of the LLaVASeg chain; the reply is, for a query with a target, LISA's
 * {@code "It is <seg>."} (one of LISA's answer templates) and the target's mask drawn as LISA draws
 * ReasonSeg polygons; for dialogue, absent and ambiguous queries, ShapeWorld's own answer, which the
 * reasoner was trained on (no {@code <seg>}, no mask). The pointer is trained as the reasoner was: at
 * every reply position, on the target's cell for a targeted query, on the objects or counts a
 * dialogue answer names, elsewhere on the nothing key.
 */
public final class LisaExamples {
  /** LISA's answer template used for every targeted query. */
  public static final String SEG_REPLY_BEFORE = "It is";
  public static final String SEG_REPLY_AFTER = ".";

  private final Vocabulary vocab;
  private final ReasonerConfig config;
  private final int segmenterSize;
  private final InstructionData data;
  private final int segId;

  public LisaExamples(Vocabulary vocab, ReasonerConfig config, SegmenterConfig segmenter) {
    this.vocab = vocab;
    this.config = config;
    this.segmenterSize = segmenter.size();
    this.data = new InstructionData(vocab, config, PromptTemplates.DEFAULT, 0.08);
    this.segId = vocab.id(LisaFolder.SEG_TOKEN);
  }

  public int segId() {
    return segId;
  }

  public LisaExample of(Sample s, SplittableRandom rng) {
    InstructionData.Example e = data.instruct(s, rng);
    InstructionData.Row answer = e.rows().get(0); // the answer prompt, ShapeWorld's answer
    int[] tokens = answer.tokens();
    int[] pointAt = answer.pointAt();
    int cell = answer.cell();
    int replyStart = answer.replyStart();
    float[] segInput = null;
    float[] segTarget = null;
    if (s.kind().hasTarget() && s.targetIndex() >= 0) {
      int[] before = vocab.encode(SEG_REPLY_BEFORE);
      int[] after = vocab.encode(SEG_REPLY_AFTER);
      int replyLength = before.length + 1 + after.length;
      int keep = Math.min(replyStart - 1, config.maxText() - 2 - replyLength); // prompt tokens between bos and sep
      int[] t = new int[keep + replyLength + 3];
      t[0] = Vocabulary.BOS_ID;
      System.arraycopy(tokens, replyStart - 1 - keep, t, 1, keep);
      t[keep + 1] = Vocabulary.SEP_ID;
      replyStart = keep + 2;
      System.arraycopy(before, 0, t, replyStart, before.length);
      t[replyStart + before.length] = segId;
      System.arraycopy(after, 0, t, replyStart + before.length + 1, after.length);
      t[t.length - 1] = Vocabulary.EOS_ID;
      tokens = t;
      pointAt = null;
      int w = s.image().getWidth();
      int h = s.image().getHeight();
      Letterbox box = Letterbox.of(segmenterSize, w, h);
      segInput = box.toInput(s.image());
      segTarget = box.toTarget(MaskRaster.LISA.mask(s.scene(), s.targetIndex(), w, h));
    }
    int inputs = tokens.length - 1;
    int[] pointer = new int[inputs];
    Arrays.fill(pointer, -1);
    for (int p = replyStart - 1; p < inputs; p++) {
      int key = pointAt != null ? pointAt[p] : cell;
      pointer[p] = key >= 0 || !config.pointerFeed() ? key : config.nothingKey();
    }
    long[] fed = new long[inputs];
    if (config.pointerFeed()) {
      Arrays.fill(fed, config.nothingKey());
      for (int p = replyStart; p < inputs; p++) {
        fed[p] = pointer[p - 1];
      }
    }
    int segAt = -1;
    for (int p = 0; p < inputs; p++) {
      if (tokens[p + 1] == segId) {
        segAt = p;
        break;
      }
    }
    return new LisaExample(e.pixels(), tokens, replyStart, fed, pointer, segAt, segInput, segTarget, s.kind());
  }
}
