package io.llavaseg.topology.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.llavaseg.schemas.ImageReference;
import io.llavaseg.topology.StageFailure;
import io.llavaseg.topology.TestData;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** http(s) claim checks: only from allowed hosts, no redirects, bounded size, hash checked. */
class HttpReferenceTest {
  private final byte[] png = TestData.png(100, 80);
  private HttpServer server;
  private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger frames = new java.util.concurrent.atomic.AtomicInteger();
  private String base;

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/frame.png", ex -> {
      frames.incrementAndGet();
      ex.getResponseHeaders().set("Content-Type", "image/png");
      ex.sendResponseHeaders(200, png.length);
      ex.getResponseBody().write(png);
      ex.close();
    });
    server.createContext("/chunked.png", ex -> {
      ex.getResponseHeaders().set("Content-Type", "image/png; charset=binary");
      ex.sendResponseHeaders(200, 0); // no length: chunked transfer encoding
      for (int i = 0; i < png.length; i += 100) {
        ex.getResponseBody().write(png, i, Math.min(100, png.length - i));
        ex.getResponseBody().flush();
      }
      ex.close();
    });
    server.createContext("/big.png", ex -> {
      byte[] big = new byte[5000];
      ex.sendResponseHeaders(200, big.length);
      ex.getResponseBody().write(big);
      ex.close();
    });
    server.createContext("/down.png", ex -> {
      requests.incrementAndGet();
      ex.sendResponseHeaders(503, -1);
      ex.close();
    });
    server.createContext("/flaky.png", ex -> {
      if (requests.incrementAndGet() <= 2) {
        ex.sendResponseHeaders(503, -1);
      } else {
        ex.getResponseHeaders().set("Content-Type", "image/png");
        ex.sendResponseHeaders(200, png.length);
        ex.getResponseBody().write(png);
      }
      ex.close();
    });
    server.createContext("/drip.png", ex -> {
      ex.sendResponseHeaders(200, png.length);
      try {
        for (byte b : png) {
          ex.getResponseBody().write(b);
          ex.getResponseBody().flush();
          Thread.sleep(1000);
        }
      } catch (InterruptedException | java.io.IOException e) {
        // the client gave up
      }
      ex.close();
    });
    server.createContext("/moved.png", ex -> {
      ex.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data/");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ImageLoader loader(int maxBytes, String... hosts) {
    // the test store listens on 127.0.0.1: loopback has to be allowed
    return new ImageLoader(new ValidationLimits(1_000_000, maxBytes, 64, 4096, 1000, List.of(), List.of(hosts))
        .withPrivateAddresses(true));
  }

  private static ImageReference ref(String uri, String sha) {
    return ImageReference.newBuilder().setUri(uri).setSha256(sha).build();
  }

  private static String failure(ImageLoader loader, ImageReference ref) {
    return assertThrows(StageFailure.class, () -> loader.fetch(ref)).code();
  }

  @Test
  void fetchesFromAnAllowedHostAndChecksTheHash() throws Exception {
    ImageLoader loader = loader(4000, "127.0.0.1:" + server.getAddress().getPort());
    ImageLoader.Encoded e = loader.fetch(ref(base + "/frame.png", ImageLoader.sha256(png)));
    assertEquals("image/png", e.mediaType());
    assertArrayEquals(png, e.data());
    assertEquals("REFERENCE_HASH_MISMATCH", failure(loader, ref(base + "/frame.png", "00" + ImageLoader.sha256(png).substring(2))));
    assertEquals("IMAGE_TOO_LARGE", failure(loader, ref(base + "/big.png", ImageLoader.sha256(png))));
    assertEquals("REFERENCE_UNREADABLE", failure(loader, ref(base + "/moved.png", ImageLoader.sha256(png))),
        "a redirect is not followed");
    assertEquals("REFERENCE_UNREADABLE", failure(loader, ref(base + "/missing.png", ImageLoader.sha256(png))));
  }

  @Test
  void readsAChunkedBodyAndAChunkedBodyOverTheLimit() throws Exception {
    String sha = ImageLoader.sha256(png);
    ImageLoader.Encoded e = loader(4000, "127.0.0.1:" + server.getAddress().getPort())
        .fetch(ref(base + "/chunked.png?v=1", sha));
    assertArrayEquals(png, e.data());
    assertEquals("image/png", e.mediaType());
    assertEquals("IMAGE_TOO_LARGE", failure(loader(png.length - 1, "127.0.0.1:" + server.getAddress().getPort()),
        ref(base + "/chunked.png", sha)));
  }

  @Test
  void refusesHostsThatAreNotAllowed() {
    String sha = ImageLoader.sha256(png);
    assertEquals("REFERENCE_NOT_ALLOWED", failure(loader(4000), ref(base + "/frame.png", sha)), "no hosts configured");
    assertEquals("REFERENCE_NOT_ALLOWED", failure(loader(4000, "127.0.0.1:1"), ref(base + "/frame.png", sha)),
        "another port");
    assertEquals("REFERENCE_NOT_ALLOWED", failure(loader(4000, "example.com"),
        ref("http://169.254.169.254/latest/meta-data/", sha)), "SSRF");
    assertEquals("REFERENCE_NOT_ALLOWED", failure(loader(4000, "127.0.0.1:" + server.getAddress().getPort()),
        ref("http://user:pw@127.0.0.1:" + server.getAddress().getPort() + "/frame.png", sha)), "credentials in the URI");
  }

  @Test
  void shouldTakeAStoreAnswering503AsUnavailableNotAsTheRecordsFault() {
    String sha = ImageLoader.sha256(png);
    ImageLoader loader = loader(4000, "127.0.0.1:" + server.getAddress().getPort());
    io.llavaseg.topology.DependencyUnavailableException e = assertThrows(
        io.llavaseg.topology.DependencyUnavailableException.class, () -> loader.fetch(ref(base + "/down.png", sha)));
    assertEquals("image-store", e.dependency());
    assertEquals(HttpStore.RETRIES + 1, requests.get(), "retried before giving the record back");
  }

  @Test
  void shouldReadAnImageOnceAStoreRecoversWithinItsRetries() throws Exception {
    String sha = ImageLoader.sha256(png);
    assertArrayEquals(png, loader(4000, "127.0.0.1:" + server.getAddress().getPort())
        .fetch(ref(base + "/flaky.png", sha)).data());
    assertEquals(3, requests.get());
  }

  @Test
  void shouldTakeAStoreThatIsNotThereAsUnavailable() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ImageLoader loader = loader(4000, "127.0.0.1:" + closed);
    assertThrows(io.llavaseg.topology.DependencyUnavailableException.class,
        () -> loader.fetch(ref("http://127.0.0.1:" + closed + "/frame.png", ImageLoader.sha256(png))));
  }

  @Test
  void shouldCutOffABodyThatDripsPastTheDeadline() {
    ImageLoader loader = loader(4000, "127.0.0.1:" + server.getAddress().getPort());
    long start = System.nanoTime();
    StageFailure f = assertThrows(StageFailure.class, () -> loader.fetch(ref(base + "/drip.png", ImageLoader.sha256(png))));
    assertEquals("REFERENCE_UNREADABLE", f.code());
    assertTrue(f.getMessage().contains("too slowly"), f.getMessage());
    assertTrue(System.nanoTime() - start < HttpStore.BODY_DEADLINE.plusSeconds(5).toNanos(), "cut off at the deadline");
  }

  @Test
  void shouldRefuseAnAllowedHostThatResolvesToALoopbackAddressUnlessPrivateAddressesAreAllowed() throws Exception {
    int port = server.getAddress().getPort();
    String sha = ImageLoader.sha256(png);
    ImageLoader strict = new ImageLoader(new ValidationLimits(1_000_000, 4000, 64, 4096, 1000, List.of(),
        List.of("127.0.0.1:" + port, "localhost:" + port)));
    StageFailure literal = assertThrows(StageFailure.class, () -> strict.fetch(ref(base + "/frame.png", sha)));
    assertEquals("REFERENCE_ADDRESS_REFUSED", literal.code());
    assertTrue(literal.getMessage().contains("loopback"), literal.getMessage());
    // an allowed name whose DNS answer points at the instance itself (what DNS rebinding does)
    assertEquals("REFERENCE_ADDRESS_REFUSED",
        failure(strict, ref("http://localhost:" + port + "/frame.png", sha)));
    assertEquals(0, frames.get(), "no request reached the address");
    ImageLoader open = new ImageLoader(strict.limits().withPrivateAddresses(true));
    assertArrayEquals(png, open.fetch(ref("http://localhost:" + port + "/frame.png", sha)).data(),
        "fetched from the address that was checked, with the host's name in the request");
    assertEquals(1, frames.get());
  }

  @Test
  void shouldFailFastOnceTheStoresBreakerIsOpenAndCloseItWhenAProbeIsAnswered() throws Exception {
    String sha = ImageLoader.sha256(png);
    io.llavaseg.topology.InstanceGuards defaults = io.llavaseg.topology.InstanceGuards.defaults();
    io.llavaseg.topology.CircuitBreaker breaker = new io.llavaseg.topology.CircuitBreaker("image-store", 1,
        java.time.Duration.ofMillis(1500), java.time.Duration.ofSeconds(3));
    ImageLoader loader = new ImageLoader(loader(4000, "127.0.0.1:" + server.getAddress().getPort()).limits()
        .withGuards(new io.llavaseg.topology.InstanceGuards(defaults.registry(), breaker, defaults.decodeBudget())));
    assertThrows(io.llavaseg.topology.DependencyUnavailableException.class, () -> loader.fetch(ref(base + "/down.png", sha)));
    assertEquals(HttpStore.RETRIES + 1, requests.get());
    assertEquals(io.llavaseg.topology.CircuitBreaker.State.OPEN, breaker.state());
    long start = System.nanoTime();
    io.llavaseg.topology.DependencyUnavailableException fast = assertThrows(
        io.llavaseg.topology.DependencyUnavailableException.class, () -> loader.fetch(ref(base + "/frame.png", sha)));
    assertTrue(fast.getMessage().contains("circuit breaker is open"), fast.getMessage());
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "no retries while open");
    assertEquals(0, frames.get(), "no request while the breaker is open");
    while (breaker.untilProbe().toMillis() > 0) {
      Thread.sleep(50);
    }
    assertArrayEquals(png, loader.fetch(ref(base + "/frame.png", sha)).data(), "the half-open probe is answered");
    assertEquals(io.llavaseg.topology.CircuitBreaker.State.CLOSED, breaker.state());
    assertEquals("REFERENCE_UNREADABLE", failure(loader, ref(base + "/missing.png", sha)));
    assertEquals(io.llavaseg.topology.CircuitBreaker.State.CLOSED, breaker.state(), "a 404 is the reference's fault");
  }

  @Test
  void shouldNotDiscloseTheContentsHashWhenItDiffers() {
    String actual = ImageLoader.sha256(png);
    StageFailure f = assertThrows(StageFailure.class, () -> loader(4000, "127.0.0.1:" + server.getAddress().getPort())
        .fetch(ref(base + "/frame.png", "00" + actual.substring(2))));
    assertFalse(f.getMessage().contains(actual.substring(2)), f.getMessage());
  }
}
