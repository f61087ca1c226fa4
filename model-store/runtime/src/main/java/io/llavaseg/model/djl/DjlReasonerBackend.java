package io.llavaseg.model.djl;

import ai.djl.Device;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.backend.BackendContext;
import io.llavaseg.model.backend.ReasonerBackend;
import io.llavaseg.model.reasoner.ReasonerModel;
import java.io.IOException;

/**
 * {@code llavaseg.reasoner.backend=djl} (the default): the project's own reasoner folder ({@code
 * <llavaseg.model.store>/reasoner/<llavaseg.reasoner.version>}), in-process on the PyTorch engine,
 * with the folder's {@code prompts.properties}.
 */
public final class DjlReasonerBackend implements ReasonerBackend {

  @Override
  public String name() {
    return "djl";
  }

  @Override
  public ModelHandle<Reasoner> load(BackendContext context) throws IOException {
    DjlSegmenterBackend.requireFolder(context, "llavaseg.reasoner.version");
    return ReasonerModel.load(context.modelDir(), Device.fromName(context.device()));
  }
}
