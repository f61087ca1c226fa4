package io.llavaseg.training.lisa;

import io.llavaseg.eval.ReasonSegWriter;
import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.lisa.LisaModel;
import io.llavaseg.model.lisa.LisaReply;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;

/**
 * The trainer's check on VAL: samples {@code first..first+count-1} of a world, kinds round-robin
 * over all nine, each asked once; gIoU of the masks against LISA-drawn ground truth (1 when both
 * are empty) and the exact-match rate of the dialogue answers. The checkpoint is chosen on their
 * mean. The full comparison is {@code ops/llavaseg eval --compare}.
 */
public final class LisaValidation {
  public record Result(int count, double giou, double dialogueAccuracy, int dialogue) {
    public double score() {
      return (giou + dialogueAccuracy) / 2;
    }
  }

  private LisaValidation() {}

  public static Result run(LisaModel model, ShapeWorld world, long first, int count) {
    QueryKind[] kinds = QueryKind.values();
    double iouSum = 0;
    int dialogue = 0;
    int dialogueOk = 0;
    for (int i = 0; i < count; i++) {
      Sample s = world.sample(first + i, kinds[i % kinds.length]);
      LisaReply r = model.reply(s.image(), s.query());
      BinaryMask truth = s.kind().hasTarget() && s.targetIndex() >= 0 ? ReasonSegWriter.groundTruth(s)
          : BinaryMask.empty(s.image().getWidth(), s.image().getHeight());
      iouSum += iou(truth, r.mask());
      if (s.kind() == QueryKind.DIALOGUE) {
        dialogue++;
        dialogueOk += r.answer().equals(s.answer()) ? 1 : 0;
      }
    }
    return new Result(count, iouSum / Math.max(1, count), dialogue == 0 ? Double.NaN : (double) dialogueOk / dialogue,
        dialogue);
  }

  static double iou(BinaryMask a, BinaryMask b) {
    long inter = 0;
    long union = 0;
    for (int y = 0; y < a.height(); y++) {
      for (int x = 0; x < a.width(); x++) {
        boolean p = a.get(x, y);
        boolean q = b.get(x, y);
        inter += p && q ? 1 : 0;
        union += p || q ? 1 : 0;
      }
    }
    return union == 0 ? 1.0 : (double) inter / union;
  }
}
