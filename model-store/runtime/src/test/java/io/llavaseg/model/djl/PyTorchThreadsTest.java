package io.llavaseg.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PyTorchThreadsTest {
  @Test
  void theEngineUsesTheThreadsSetAfterItStarted() {
    int before = PyTorchThreads.current();
    try {
      PyTorchThreads.set(1);
      assertEquals(1, PyTorchThreads.current());
      PyTorchThreads.set(3);
      assertEquals(3, PyTorchThreads.current());
    } finally {
      PyTorchThreads.set(before);
    }
  }

  @Test
  void zeroThreadsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> PyTorchThreads.set(0));
  }
}
