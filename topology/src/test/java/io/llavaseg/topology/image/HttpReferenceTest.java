package io.llavaseg.topology.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
  private String base;

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/frame.png", ex -> {
      ex.getResponseHeaders().set("Content-Type", "image/png");
      ex.sendResponseHeaders(200, png.length);
      ex.getResponseBody().write(png);
      ex.close();
    });
    server.createContext("/big.png", ex -> {
      byte[] big = new byte[5000];
      ex.sendResponseHeaders(200, big.length);
      ex.getResponseBody().write(big);
      ex.close();
    });
    server.createContext("/moved.png", ex -> {
      ex.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data/");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ImageLoader loader(int maxBytes, String... hosts) {
    return new ImageLoader(new ValidationLimits(1_000_000, maxBytes, 64, 4096, 1000, List.of(), List.of(hosts)));
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
}
