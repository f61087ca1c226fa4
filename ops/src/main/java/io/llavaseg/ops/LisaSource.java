package io.llavaseg.ops;

import io.llavaseg.eval.DatasetSample;
import io.llavaseg.eval.MaskSource;
import io.llavaseg.eval.Prediction;
import io.llavaseg.model.lisa.LisaModel;
import io.llavaseg.model.lisa.LisaReply;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The LISA variant as a {@link MaskSource}: the sample's first query asked once; the reply (without
 * {@code <seg>}) is the answer, the mask comes from the {@code <seg>} state (empty without one).
 */
final class LisaSource implements MaskSource {
  private final LisaModel model;

  LisaSource(Path folder) throws IOException {
    this.model = LisaModel.load(folder);
  }

  LisaModel model() {
    return model;
  }

  @Override
  public Prediction predict(DatasetSample sample) {
    LisaReply r = model.reply(sample.image(), sample.query());
    return Prediction.of(r.mask(), r.answer(), r.segmented() ? "<seg>" : "none");
  }

  @Override
  public String describe() {
    return "LISA variant " + model.modelId();
  }

  @Override
  public void close() {
    model.close();
  }
}
