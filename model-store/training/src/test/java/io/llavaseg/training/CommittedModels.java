package io.llavaseg.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import io.llavaseg.model.reasoner.ReasonerModel;
import io.llavaseg.model.segmenter.SegmenterModel;
import io.llavaseg.topology.ServiceConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The committed model folders the service runs by default, found where the service finds them:
 * {@link ServiceConfig#defaults()} ({@code <llavaseg.model.store>/reasoner/<version>} and {@code
 * .../segmenter/<version>}; the build points the system property at the repository's {@code
 * model-store}). Tests on the committed weights load them from here, on the CPU.
 */
public final class CommittedModels {

  private CommittedModels() {}

  /** The default reasoner's folder. */
  public static Path reasonerDir() {
    return ServiceConfig.defaults().reasonerDir();
  }

  /**
   * Reasoner v7's folder: the last reasoner trained on the templates alone (217 tokens), where the
   * paraphrase training of issue 24 starts (v8, v9 and the served version grew from it).
   */
  public static Path templatesOnlyReasonerDir() {
    return ServiceConfig.defaults().modelStore().resolve("reasoner").resolve("v7");
  }

  /** The default segmenter's folder. */
  public static Path segmenterDir() {
    return ServiceConfig.defaults().segmenterDir();
  }

  /** Loads {@link #reasonerDir()} on the CPU. */
  public static ReasonerModel loadReasoner() throws IOException {
    return ReasonerModel.load(reasonerDir(), Device.cpu());
  }

  /** Loads {@link #segmenterDir()} on the CPU. */
  public static SegmenterModel loadSegmenter() throws IOException, MalformedModelException {
    return SegmenterModel.load(segmenterDir(), Device.cpu());
  }
}
