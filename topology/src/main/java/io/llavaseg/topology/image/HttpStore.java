package io.llavaseg.topology.image;

import io.llavaseg.topology.CircuitBreaker;
import io.llavaseg.topology.DependencyUnavailableException;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.StageFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * GETs an image from an http(s) image store, telling the record's faults from the store's:
 *
 * <ul>
 *   <li>the host's addresses are resolved once and each is checked ({@link AddressPolicy}): a
 *       loopback, link-local or private one is {@code REFERENCE_ADDRESS_REFUSED} unless private
 *       addresses are allowed; the connection goes to a checked address (no second resolution, so a
 *       DNS answer that changes between check and connect cannot redirect it);
 *   <li>200: the body, read within {@link #BODY_DEADLINE} from the request (a store that drips its
 *       body is cut off: {@code REFERENCE_UNREADABLE});
 *   <li>429, 5xx, a failed resolution, a refused or dropped connection, no headers within {@link
 *       #HEADERS_TIMEOUT}: the store's fault, retried {@link #RETRIES} times with a doubling backoff
 *       from {@link #BACKOFF}, then {@link DependencyUnavailableException} ({@value #DEPENDENCY}): the
 *       record is retried later, never dead-lettered;
 *   <li>any other status (404, 403, a redirect, which is never followed): the reference is wrong,
 *       {@code REFERENCE_UNREADABLE}.
 * </ul>
 *
 * The store's {@link CircuitBreaker} counts records whose retries were all used up; once open, records
 * fail fast (without a request) until its half-open probe gets an answer. HTTP/1.1 with {@code
 * Connection: close}, one connection per request; https verifies the certificate against the host
 * name (SNI and endpoint identification) while connecting to the checked address.
 */
final class HttpStore {
  static final String DEPENDENCY = io.llavaseg.topology.InstanceGuards.IMAGE_STORE;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(10);
  static final Duration BODY_DEADLINE = Duration.ofSeconds(10);
  static final int RETRIES = 3;
  static final Duration BACKOFF = Duration.ofMillis(500);
  /** Longest status line plus headers accepted. */
  static final int MAX_HEAD_BYTES = 65_536;

  private HttpStore() {}

  /** The store did not answer usefully this time (its fault): worth another attempt. */
  private static final class Transient extends Exception {
    Transient(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The body (at most {@code maxBytes}) and media type of {@code uri} ({@code shown} in messages).
   *
   * @param allowPrivate whether loopback, link-local and private addresses may be connected to
   * @param breaker the store's circuit breaker
   */
  static ImageLoader.HttpStoreReply get(URI uri, String shown, int maxBytes, boolean allowPrivate,
      CircuitBreaker breaker) throws StageFailure {
    if (!breaker.tryAcquire()) {
      throw breaker.failFast(shown);
    }
    boolean verdict = false;
    try {
      Duration backoff = BACKOFF;
      Transient last = null;
      for (int attempt = 0; attempt <= RETRIES; attempt++) {
        if (attempt > 0) {
          sleep(backoff, shown);
          backoff = backoff.multipliedBy(2);
        }
        try {
          return attempt(uri, shown, maxBytes, allowPrivate, () -> breaker.onSuccess());
        } catch (Transient t) {
          last = t;
        }
      }
      breaker.onFailure();
      verdict = true;
      throw new DependencyUnavailableException(DEPENDENCY, "the image store did not serve " + shown + " in "
          + (RETRIES + 1) + " attempts: " + last.getMessage(), last.getCause());
    } finally {
      if (!verdict) {
        breaker.release(); // no verdict on the store (e.g. an address refused): a half-open probe is handed back
      }
    }
  }

  /** One request; {@code answered} runs once the store answered with a status that is not its fault. */
  private static ImageLoader.HttpStoreReply attempt(URI uri, String shown, int maxBytes, boolean allowPrivate,
      Runnable answered) throws StageFailure, Transient {
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    String host = uri.getHost();
    int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new Transient("cannot resolve " + host + ": " + e.getMessage(), e);
    }
    for (InetAddress a : addresses) {
      String refusal = AddressPolicy.refusal(a);
      if (refusal != null && !allowPrivate) {
        throw new StageFailure(ErrorCode.REFERENCE_ADDRESS_REFUSED, host + " resolves to " + a.getHostAddress()
            + ", " + refusal + ", which references may not reach (llavaseg.reference.allow-private-addresses)");
      }
    }
    long deadline = System.nanoTime() + BODY_DEADLINE.toNanos();
    try (Socket plain = connect(addresses, port, shown)) {
      Socket socket = https ? tls(plain, host, port) : plain;
      InputStream in = new java.io.BufferedInputStream(new Deadline(socket, deadline), 8192);
      OutputStream out = socket.getOutputStream();
      String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      String hostHeader = uri.getPort() >= 0 ? host + ":" + uri.getPort() : host;
      out.write(("GET " + target + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: llavaseg\r\n"
          + "Accept: image/png, image/jpeg\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      Head head;
      try {
        head = Head.read(in);
      } catch (SocketTimeoutException e) {
        throw new Transient("no answer from " + shown + " within " + HEADERS_TIMEOUT.toSeconds() + " s", e);
      } catch (IOException e) {
        throw new Transient("no readable answer from " + shown + ": " + e, e);
      }
      int status = head.status;
      if (status == 429 || status >= 500) {
        throw new Transient("HTTP " + status, null);
      }
      answered.run(); // the store works; what follows is about this reference
      if (status != 200) {
        throw new StageFailure(ErrorCode.REFERENCE_UNREADABLE, "GET " + shown + " answered " + status
            + " (redirects are not followed)");
      }
      byte[] body;
      try {
        body = head.body(in, maxBytes);
      } catch (SocketTimeoutException e) {
        throw new StageFailure(ErrorCode.REFERENCE_UNREADABLE, shown + " sent its body too slowly: not complete "
            + BODY_DEADLINE.toSeconds() + " s after the request");
      } catch (IOException e) {
        throw new Transient("the body of " + shown + " broke off: " + e, e);
      }
      String type = head.header("content-type");
      return new ImageLoader.HttpStoreReply(body, type == null ? null : type.split(";")[0].strip());
    } catch (IOException e) {
      throw new Transient("GET " + shown + " failed: " + e, e);
    }
  }

  /** A connection to the first of the checked addresses that accepts one. */
  private static Socket connect(InetAddress[] addresses, int port, String shown) throws Transient {
    IOException last = null;
    for (InetAddress a : addresses) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(a, port), (int) CONNECT_TIMEOUT.toMillis());
        return s;
      } catch (IOException e) {
        last = e;
        try {
          s.close();
        } catch (IOException ignored) {
          // nothing to keep
        }
      }
    }
    throw new Transient("cannot connect to " + shown + ": " + last, last);
  }

  /** TLS over the connected socket, verifying the certificate against {@code host}. */
  private static Socket tls(Socket plain, String host, int port) throws IOException {
    SSLContext context;
    try {
      context = SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IOException("no TLS", e);
    }
    SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
    SSLParameters params = ssl.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    if (!host.startsWith("[") && !host.matches("[0-9.]+")) {
      params.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(params);
    return ssl;
  }

  /** The socket's input, each read bounded by what is left until the deadline. */
  private static final class Deadline extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final long deadline;

    Deadline(Socket socket, long deadline) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.deadline = deadline;
    }

    private void arm() throws IOException {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new SocketTimeoutException("deadline passed");
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int read() throws IOException {
      arm();
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      arm();
      return in.read(b, off, len);
    }
  }

  /** The status line and headers of a response. */
  private record Head(int status, List<String[]> headers) {
    static Head read(InputStream in) throws IOException {
      int[] budget = {MAX_HEAD_BYTES};
      String statusLine = line(in, budget);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x status line: " + abbreviate(statusLine));
      }
      int status;
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP status: " + abbreviate(statusLine), e);
      }
      List<String[]> headers = new ArrayList<>();
      for (String l = line(in, budget); !l.isEmpty(); l = line(in, budget)) {
        int colon = l.indexOf(':');
        if (colon > 0) {
          headers.add(new String[] {l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip()});
        }
      }
      return new Head(status, headers);
    }

    String header(String name) {
      for (String[] h : headers) {
        if (h[0].equals(name)) {
          return h[1];
        }
      }
      return null;
    }

    /** The body: chunked, of a Content-Length, or up to the end of the connection; at most {@code max}. */
    byte[] body(InputStream in, int max) throws IOException {
      String encoding = header("transfer-encoding");
      if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] budget = {MAX_HEAD_BYTES};
        while (out.size() < max) {
          String sizeLine = line(in, budget).split(";")[0].strip();
          long size;
          try {
            size = Long.parseLong(sizeLine, 16);
          } catch (NumberFormatException e) {
            throw new IOException("bad chunk size: " + abbreviate(sizeLine), e);
          }
          if (size == 0) {
            break;
          }
          int take = (int) Math.min(size, max - out.size());
          byte[] chunk = in.readNBytes(take);
          if (chunk.length < take) {
            throw new IOException("the body ended inside a chunk");
          }
          out.writeBytes(chunk);
          if (take < size) {
            break; // over the limit: the caller refuses it
          }
          line(in, budget);
        }
        return out.toByteArray();
      }
      String length = header("content-length");
      if (length != null) {
        long n;
        try {
          n = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
          throw new IOException("bad Content-Length: " + abbreviate(length), e);
        }
        int take = (int) Math.min(n, max);
        byte[] body = in.readNBytes(take);
        if (body.length < take) {
          throw new IOException("the body ended after " + body.length + " of " + n + " bytes");
        }
        return body;
      }
      return in.readNBytes(max);
    }

    private static String line(InputStream in, int[] budget) throws IOException {
      StringBuilder b = new StringBuilder();
      while (true) {
        int c = in.read();
        if (c < 0) {
          throw new IOException("the answer ended inside its head");
        }
        if (--budget[0] < 0) {
          throw new IOException("the answer's head is over " + MAX_HEAD_BYTES + " bytes");
        }
        if (c == '\n') {
          int end = b.length();
          return end > 0 && b.charAt(end - 1) == '\r' ? b.substring(0, end - 1) : b.toString();
        }
        b.append((char) c);
      }
    }

    private static String abbreviate(String s) {
      return s.length() <= 80 ? s : s.substring(0, 80) + "...";
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
}
