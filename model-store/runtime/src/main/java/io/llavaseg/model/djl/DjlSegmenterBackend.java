package io.llavaseg.model.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.backend.BackendContext;
import io.llavaseg.model.backend.SegmenterBackend;
import io.llavaseg.model.segmenter.SegmenterModel;
import java.io.IOException;
import java.nio.file.Files;

/**
 * {@code llavaseg.segmenter.backend=djl} (the default): the project's own segmenter folder ({@code
 * <llavaseg.model.store>/segmenter/<llavaseg.segmenter.version>}), in-process on the PyTorch engine.
 */
public final class DjlSegmenterBackend implements SegmenterBackend {

  @Override
  public String name() {
    return "djl";
  }

  @Override
  public ModelHandle<Segmenter> load(BackendContext context) throws IOException {
    requireFolder(context, "llavaseg.segmenter.version");
    try {
      return SegmenterModel.load(context.modelDir(), Device.fromName(context.device()));
    } catch (MalformedModelException e) {
      throw new IOException("cannot load the segmenter from " + context.modelDir() + ": " + e.getMessage(), e);
    }
  }

  static void requireFolder(BackendContext context, String versionKey) throws IOException {
    if (context.modelDir() == null || !Files.isDirectory(context.modelDir())) {
      throw new IOException("no model folder " + (context.modelDir() == null ? "" : context.modelDir().toAbsolutePath())
          + ": check llavaseg.model.store and " + versionKey);
    }
  }
}
