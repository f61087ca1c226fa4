package io.llavaseg.topology.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.topology.DependencyUnavailableException;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.InstanceGuards;
import io.llavaseg.topology.StageFailure;
import io.llavaseg.topology.TestData;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-instance budget of decoded bytes: concurrent large decodes wait, a decode over it is refused. */
class DecodeBudgetTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private static ImageLoader loader(DecodeBudget budget) {
    InstanceGuards defaults = InstanceGuards.defaults();
    return new ImageLoader(new ValidationLimits(1_000_000, 1_000_000, 16, 4096, 1000, List.of())
        .withGuards(new InstanceGuards(defaults.registry(), defaults.imageStore(), budget)));
  }

  /** What a decode of this PNG takes of the budget, as the loader estimates it from the header. */
  private static long estimate(byte[] png) throws Exception {
    javax.imageio.ImageReader r = javax.imageio.ImageIO.getImageReadersByMIMEType("image/png").next();
    try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(
        new java.io.ByteArrayInputStream(png))) {
      r.setInput(in);
      return ImageLoader.decodedBytes(r, r.getWidth(0), r.getHeight(0), 1);
    } finally {
      r.dispose();
    }
  }

  private static ImageLoader.Encoded png(byte[] data) {
    return new ImageLoader.Encoded("image/png", data);
  }

  @Test
  void shouldEstimateTheDecodedSizeFromTheHeaderOfA16BitImage() throws Exception {
    // 37 bytes that claim 4096 x 4096 16-bit RGBA: 128 MiB of samples plus the 64 MiB RGB copy
    byte[] bomb = TestData.pngHeader(4096, 4096, 16, 6);
    assertTrue(bomb.length < 100);
    DecodeBudget budget = new DecodeBudget(64L << 20, Duration.ofSeconds(1));
    long start = System.nanoTime();
    StageFailure f = assertThrows(StageFailure.class, () -> loader(budget).decode(png(bomb)));
    assertEquals(ErrorCode.IMAGE_DECODE_TOO_LARGE.name(), f.code(), f.getMessage());
    assertTrue(f.getMessage().contains("192.0 MiB"), f.getMessage());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "refused without waiting or decoding");
    assertEquals(0, budget.peak(), "nothing was taken");
  }

  @Test
  void shouldMakeASecondLargeDecodeWaitUntilTheFirstHandsItsShareBack() throws Exception {
    byte[] image = TestData.png(1000, 800);
    long one = estimate(image);
    assertEquals(1000L * 800 * 7, one, "8-bit RGB samples (3 bytes a pixel) and the RGB copy (4)");
    DecodeBudget budget = new DecodeBudget(one * 3 / 2, Duration.ofSeconds(20));
    ImageLoader loader = loader(budget);
    DecodeBudget.Permit first = budget.acquire(one, "a decode in flight");
    Future<BufferedImage> second = pool.submit(() -> loader.decode(png(image)));
    Thread.sleep(500);
    assertFalse(second.isDone(), "the second decode does not run while the first holds more than half the budget");
    assertEquals(one, budget.inUse());
    first.close();
    assertEquals(1000, second.get(10, TimeUnit.SECONDS).getWidth());
    assertEquals(0, budget.inUse(), "its share handed back");
    assertEquals(one, budget.peak(), "never both at once");
  }

  @Test
  void shouldNeverDecodeTwoImagesOverTheBudgetAtOnce() throws Exception {
    byte[] image = TestData.png(1200, 1000);
    long one = estimate(image);
    DecodeBudget budget = new DecodeBudget(one * 3 / 2, Duration.ofSeconds(30));
    ImageLoader loader = loader(budget);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Integer>> runs = List.of(1, 2).stream().map(i -> CompletableFuture.supplyAsync(() -> {
      try {
        go.await();
        int sum = 0;
        for (int r = 0; r < 4; r++) {
          sum += loader.decode(png(image)).getWidth();
        }
        return sum;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, pool)).toList();
    go.countDown();
    for (CompletableFuture<Integer> run : runs) {
      assertEquals(4800, run.get(60, TimeUnit.SECONDS));
    }
    assertEquals(one, budget.peak(), "at most one decode's bytes at any time");
  }

  @Test
  void shouldRetryARecordWhoseDecodeWaitedTooLong() throws Exception {
    long one = estimate(TestData.png(200, 200));
    DecodeBudget budget = new DecodeBudget(one, Duration.ofMillis(200));
    try (DecodeBudget.Permit held = budget.acquire(1, "a decode in flight")) {
      DependencyUnavailableException e = assertThrows(DependencyUnavailableException.class,
          () -> loader(budget).decode(png(TestData.png(200, 200))));
      assertEquals(DecodeBudget.DEPENDENCY, e.dependency());
    }
    assertEquals(200, loader(budget).decode(png(TestData.png(200, 200))).getWidth(), "fits once the budget is free");
  }

  @Test
  void shouldDefaultToAQuarterOfTheHeap() {
    assertEquals(Runtime.getRuntime().maxMemory() / 4, new DecodeBudget(0, Duration.ZERO).totalBytes());
    assertThrows(IllegalArgumentException.class, () -> new DecodeBudget(-1, Duration.ZERO));
  }
}
