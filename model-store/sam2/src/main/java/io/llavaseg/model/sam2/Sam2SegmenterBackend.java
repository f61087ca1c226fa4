package io.llavaseg.model.sam2;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.backend.BackendContext;
import io.llavaseg.model.backend.SegmenterBackend;
import java.io.IOException;

/**
 * {@code llavaseg.segmenter.backend=sam2}: a SAM 2 TorchScript folder ({@code
 * <llavaseg.model.store>/segmenter/<llavaseg.segmenter.version>}, e.g. {@code segmenter/sam2-hiera-tiny},
 * see {@link Sam2Models}) through DJL's {@code Sam2Translator}, prompted with the reasoner's box, else
 * a point at the centre of its location's cell.
 */
public final class Sam2SegmenterBackend implements SegmenterBackend {

  @Override
  public String name() {
    return "sam2";
  }

  @Override
  public ModelHandle<Segmenter> load(BackendContext context) throws IOException {
    try {
      return Sam2Models.segmenter(context.modelDir(), Device.fromName(context.device()));
    } catch (MalformedModelException e) {
      throw new IOException("cannot load SAM 2 from " + context.modelDir() + ": " + e.getMessage(), e);
    }
  }
}
