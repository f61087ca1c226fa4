package io.llavaseg.ops.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A docker-archive image tarball (what {@code jib:buildTar} and {@code docker save} write), read
 * without a container engine: its manifest, its config and the paths each layer holds (regular
 * files, symbolic links and directories), streamed so that layers of hundreds of MB need no heap.
 */
final class ImageTar {
  final JsonNode config;
  /** Per layer, in order (base first): the paths it holds, without a leading "./" or "/". */
  final List<Set<String>> layers;

  private ImageTar(JsonNode config, List<Set<String>> layers) {
    this.config = config;
    this.layers = layers;
  }

  static ImageTar read(Path tarball) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, byte[]> small = new HashMap<>();
    Map<String, Set<String>> listings = new HashMap<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16)) {
      entries(in, (name, type, data) -> {
        if (type != '0') {
          return;
        }
        if (name.endsWith(".json")) {
          small.put(name, data.readAllBytes());
        } else {
          Set<String> paths = new LinkedHashSet<>();
          InputStream layer = new BufferedInputStream(data, 1 << 16);
          layer.mark(2);
          boolean gzip = layer.read() == 0x1f && layer.read() == 0x8b;
          layer.reset();
          entries(gzip ? new GZIPInputStream(layer, 1 << 16) : layer, (path, t, ignored) -> {
            String p = path.startsWith("./") ? path.substring(2) : path.startsWith("/") ? path.substring(1) : path;
            while (p.endsWith("/")) {
              p = p.substring(0, p.length() - 1);
            }
            if (!p.isEmpty()) {
              paths.add(p);
            }
          });
          listings.put(name, paths);
        }
      });
    }
    JsonNode manifest = json.readTree(small.get("manifest.json")).get(0);
    JsonNode config = json.readTree(small.get(manifest.get("Config").asText()));
    List<Set<String>> layers = new ArrayList<>();
    for (JsonNode layer : manifest.get("Layers")) {
      layers.add(listings.get(layer.asText()));
    }
    return new ImageTar(config, layers);
  }

  List<String> entrypoint() {
    List<String> entrypoint = new ArrayList<>();
    config.at("/config/Entrypoint").forEach(a -> entrypoint.add(a.asText()));
    return entrypoint;
  }

  List<String> env() {
    List<String> env = new ArrayList<>();
    config.at("/config/Env").forEach(a -> env.add(a.asText()));
    return env;
  }

  boolean anyLayerHas(String path) {
    return layers.stream().anyMatch(l -> l.contains(path));
  }

  boolean anyLayerMatches(String regex) {
    return layers.stream().flatMap(Set::stream).anyMatch(p -> p.matches(regex));
  }

  interface Entries {
    void entry(String name, char type, InputStream data) throws IOException;
  }

  /** Reads POSIX, pax and GNU tar headers; each entry's data is a stream bounded to its size. */
  static void entries(InputStream in, Entries sink) throws IOException {
    byte[] header = new byte[512];
    String longName = null;
    while (true) {
      if (in.readNBytes(header, 0, 512) < 512 || header[0] == 0) {
        return;
      }
      String name = field(header, 0, 100);
      String magic = field(header, 257, 6);
      String prefix = magic.startsWith("ustar") && !magic.equals("ustar ") ? field(header, 345, 155) : "";
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      String sizeField = field(header, 124, 12).trim();
      long size = sizeField.isEmpty() ? 0 : Long.parseLong(sizeField, 8);
      char type = header[156] == 0 ? '0' : (char) header[156];
      Bounded data = new Bounded(in, size);
      if (type == 'x' || type == 'L') {
        byte[] meta = data.readAllBytes();
        if (type == 'L') {
          longName = new String(meta, StandardCharsets.UTF_8).replace("\0", "");
        } else {
          for (String rec : new String(meta, StandardCharsets.UTF_8).split("\n")) {
            int eq = rec.indexOf(" path=");
            if (eq >= 0) {
              longName = rec.substring(eq + 6);
            }
          }
        }
      } else if (type != 'g' && type != 'K') {
        if (longName != null) {
          name = longName;
          longName = null;
        }
        sink.entry(name, type, data);
      }
      data.skipNBytes(data.remaining);
      in.skipNBytes((512 - size % 512) % 512);
    }
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.US_ASCII);
  }

  private static final class Bounded extends FilterInputStream {
    long remaining;

    Bounded(InputStream in, long size) {
      super(in);
      this.remaining = size;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = in.skip(Math.min(n, remaining));
      remaining -= s;
      return s;
    }

    @Override
    public void close() {
      // the outer stream stays open
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
