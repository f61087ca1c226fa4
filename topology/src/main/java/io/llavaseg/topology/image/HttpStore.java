package io.llavaseg.topology.image;

import io.llavaseg.topology.DependencyUnavailableException;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.StageFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GETs an image from an http(s) image store, telling the record's faults from the store's:
 *
 * <ul>
 *   <li>200: the body, read within {@link #BODY_DEADLINE} from the request (a store that drips its
 *       body is cut off: {@code REFERENCE_UNREADABLE});
 *   <li>429, 5xx, a refused or dropped connection, no headers within {@link #HEADERS_TIMEOUT}: the
 *       store's fault, retried {@link #RETRIES} times with a doubling backoff from {@link #BACKOFF},
 *       then {@link DependencyUnavailableException} ({@value #DEPENDENCY}): the record is retried
 *       later, never dead-lettered;
 *   <li>any other status (404, 403, a redirect, which is never followed): the reference is wrong,
 *       {@code REFERENCE_UNREADABLE}.
 * </ul>
 */
final class HttpStore {
  static final String DEPENDENCY = "image-store";
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(10);
  static final Duration BODY_DEADLINE = Duration.ofSeconds(10);
  static final int RETRIES = 3;
  static final Duration BACKOFF = Duration.ofMillis(500);

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();
  private static final ExecutorService BODY_READERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "image-store-body");
    t.setDaemon(true);
    return t;
  });

  private HttpStore() {}

  /** The body (at most {@code maxBytes}) and media type of {@code uri} ({@code shown} in messages). */
  static ImageLoader.HttpStoreReply get(URI uri, String shown, int maxBytes) throws StageFailure {
    Duration backoff = BACKOFF;
    String last = null;
    Exception lastCause = null;
    for (int attempt = 0; attempt <= RETRIES; attempt++) {
      if (attempt > 0) {
        sleep(backoff, shown);
        backoff = backoff.multipliedBy(2);
      }
      long start = System.nanoTime();
      HttpResponse<InputStream> r;
      try {
        r = HTTP.send(HttpRequest.newBuilder(uri).timeout(HEADERS_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        last = e.toString();
        lastCause = e;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DependencyUnavailableException(DEPENDENCY, "interrupted fetching " + shown, e);
      }
      int status = r.statusCode();
      if (status == 200) {
        byte[] body = readWithin(r.body(), maxBytes, BODY_DEADLINE.minusNanos(System.nanoTime() - start), shown);
        String type = r.headers().firstValue("Content-Type").map(t -> t.split(";")[0].strip()).orElse(null);
        return new ImageLoader.HttpStoreReply(body, type);
      }
      close(r.body());
      if (status == 429 || status >= 500) {
        last = "HTTP " + status;
        lastCause = null;
        continue;
      }
      throw new StageFailure(ErrorCode.REFERENCE_UNREADABLE, "GET " + shown + " answered " + status
          + " (redirects are not followed)");
    }
    throw new DependencyUnavailableException(DEPENDENCY,
        "the image store did not serve " + shown + " in " + (RETRIES + 1) + " attempts: " + last, lastCause);
  }

  private static byte[] readWithin(InputStream body, int maxBytes, Duration left, String shown) throws StageFailure {
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
      try (body) {
        return body.readNBytes(maxBytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, BODY_READERS);
    try {
      return read.get(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      close(body);
      read.cancel(true);
      throw new StageFailure(ErrorCode.REFERENCE_UNREADABLE, shown + " sent its body too slowly: not complete "
          + BODY_DEADLINE.toSeconds() + " s after the request");
    } catch (ExecutionException e) {
      throw new DependencyUnavailableException(DEPENDENCY, "the body of " + shown + " broke off: " + e.getCause(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close(body);
      throw new DependencyUnavailableException(DEPENDENCY, "interrupted reading " + shown, e);
    }
  }

  private static void sleep(Duration d, String shown) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DependencyUnavailableException(DEPENDENCY, "interrupted waiting to fetch " + shown + " again", e);
    }
  }

  private static void close(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing to keep
    }
  }
}
