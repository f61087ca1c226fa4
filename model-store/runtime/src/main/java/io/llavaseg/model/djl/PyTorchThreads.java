package io.llavaseg.model.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's intra-op threads for the whole process (the engine has one thread pool per process; each
 * thread that runs an operator uses the number set last). DJL reads {@value #DJL_PROPERTY} once, when
 * the engine starts; this sets the number at any time, before or after.
 */
public final class PyTorchThreads {
  /** DJL's own setting; when a user sets it, it wins. */
  public static final String DJL_PROPERTY = "ai.djl.pytorch.num_threads";

  private PyTorchThreads() {}

  /** Whether the user set {@value #DJL_PROPERTY} (as a system property). */
  public static boolean setByUser() {
    return System.getProperty(DJL_PROPERTY) != null;
  }

  /** The intra-op threads the engine uses now (starting it if need be). */
  public static int current() {
    Engine.getEngine("PyTorch");
    return JniUtils.getNumThreads();
  }

  /** Sets the intra-op threads of the PyTorch engine (starting it if need be). */
  public static void set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    Engine.getEngine("PyTorch"); // loads the native library
    JniUtils.setNumThreads(threads);
  }
}
