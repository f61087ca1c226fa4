package io.llavaseg.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the {@code docs/} pages quote figures from committed JSON files, never by hand.
 * Each quoted block is fenced by an HTML comment (invisible on GitHub) that names its JSON and
 * says which JSON value each figure is, as written:
 *
 * <pre>
 * &lt;!-- figures: docs/bench/bench-2026-12-06.json [more.json ...]
 * e2e.throughput_qps = 21.3
 * raw.reasoning.batching_gain = 2.85
 * e2e.soak.rss_start_bytes / 1e6 = 1,712
 * more.json#report.targetExact = 95.8%
 * --&gt;
 * ... the table or paragraph ...
 * &lt;!-- /figures --&gt;
 * </pre>
 *
 * <p>An entry without {@code FILE#} reads the first file named. A written figure is the JSON value rounded half-up to the decimals written ({@code %}: the
 * value times 100; {@code * F} or {@code / F}: scaled first; thousands separated by commas). The
 * test fails when a figure differs from its JSON, when a figure listed is not in the block's text
 * (in the order listed), when the block's text does not name each JSON by its path in the
 * repository, a date and a model version, or when the README quotes a figure-looking number (a fraction such as 0.87, or a
 * percentage) outside such a block. A second test checks that every relative link resolves.
 */
class ReadmeFiguresTest {

  private static final Path ROOT = findRoot();
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final Pattern BLOCK = Pattern.compile(
      "<!-- figures: ([^\\n]+)\\n(.*?)-->(.*?)<!-- /figures -->", Pattern.DOTALL);
  private static final Pattern ENTRY = Pattern.compile(
      "^\\s*(?:(\\S+\\.json)#)?([A-Za-z0-9_.\\[\\]-]+)\\s*(?:([*/])\\s*([0-9.eE+-]+))?\\s*=\\s*(-?[0-9][0-9,]*(?:\\.[0-9]+)?)(%?)\\s*$");
  private static final Pattern DATE = Pattern.compile("\\b20\\d\\d-\\d\\d-\\d\\d\\b");
  private static final Pattern VERSION = Pattern.compile("\\bv\\d+\\b");
  /** Figure-looking numbers: fractions with two or more decimals, percentages. */
  private static final Pattern FIGURE = Pattern.compile("(?<![\\w.])(0\\.\\d{2,}|\\d+(?:\\.\\d+)?%)(?![\\w.])");

  /** Pages whose figures are checked; docs/models/ holds the ancestors' cards, which quote their own JSON. */
  static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  @Test
  void shouldQuoteEveryFigureAsItsCommittedJsonSaysIt() throws IOException {
    List<String> problems = new ArrayList<>();
    int blocks = 0;
    for (Path page : pages()) {
      String text = Files.readString(page, StandardCharsets.UTF_8);
      Matcher m = BLOCK.matcher(text);
      while (m.find()) {
        blocks++;
        checkBlock(page, m.group(1), m.group(2), m.group(3), problems);
      }
    }
    assertTrue(blocks >= 3, "expected the README and docs to quote figures in <!-- figures: ... --> blocks");
    if (!problems.isEmpty()) {
      fail(problems.size() + " figure problem(s):\n" + String.join("\n", problems));
    }
  }

  @Test
  void shouldQuoteNoFigureInTheReadmeOutsideAFiguresBlock() throws IOException {
    String text = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    String outside = BLOCK.matcher(text).replaceAll("");
    List<String> loose = new ArrayList<>();
    Matcher m = FIGURE.matcher(outside);
    while (m.find()) {
      int lineStart = outside.lastIndexOf('\n', m.start()) + 1;
      int lineEnd = outside.indexOf('\n', m.end());
      loose.add(m.group() + " in: " + outside.substring(lineStart, lineEnd < 0 ? outside.length() : lineEnd).trim());
    }
    assertTrue(loose.isEmpty(), "figures in README.md without a <!-- figures: FILE --> block naming their JSON:\n"
        + String.join("\n", loose));
  }

  @Test
  void shouldResolveEveryRelativeLinkOfTheReadmeAndDocs() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    Pattern link = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)|<img[^>]*\\bsrc=\"([^\"]+)\"");
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages) {
      String text = withoutCode(Files.readString(page, StandardCharsets.UTF_8));
      Matcher m = link.matcher(text);
      while (m.find()) {
        String target = m.group(1) != null ? m.group(1) : m.group(2);
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          continue; // https:, mailto: ...
        }
        checked++;
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
          broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
        } else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
          broken.add(ROOT.relativize(page) + ": " + target + " (no heading with that anchor)");
        }
      }
    }
    assertTrue(checked > 10, "expected relative links in the README and docs, found " + checked);
    assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
  }

  @Test
  void shouldKeepTheReadmeShortWithItsPicture() throws IOException {
    Path readme = ROOT.resolve("README.md");
    long size = Files.size(readme);
    assertTrue(size <= 12 * 1024, "README.md is " + size + " bytes; the limit is 12 kB (move detail to docs/)");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    assertTrue(text.contains("](docs/images/demo.png)"), "the README shows the demo page's screenshot");
    assertTrue(text.contains("\nmvn verify\n"), "the README's test command is `mvn verify` (.ci/run runs it)");
    assertFalse(text.contains("/work/"), "the README points at files inside the repository only");
  }

  private static void checkBlock(Path page, String files, String entries, String body, List<String> problems) {
    String where = ROOT.relativize(page) + " [figures: " + files.trim() + "]";
    java.util.Map<String, JsonNode> json = new java.util.LinkedHashMap<>();
    for (String file : files.trim().split("\\s+")) {
      try {
        json.put(file, JSON.readTree(ROOT.resolve(file).toFile()));
      } catch (IOException e) {
        problems.add(where + ": cannot read " + file + ": " + e.getMessage());
        return;
      }
      if (!body.contains(file)) {
        problems.add(where + ": the text does not name its JSON by its path in the repository (" + file + ")");
      }
    }
    String first = json.keySet().iterator().next();
    if (!DATE.matcher(body).find()) {
      problems.add(where + ": the text does not give the date of its figures (YYYY-MM-DD)");
    }
    if (!VERSION.matcher(body).find()) {
      problems.add(where + ": the text does not name the model versions (e.g. reasoner v7)");
    }
    int from = 0;
    int count = 0;
    for (String line : entries.split("\n")) {
      if (line.isBlank() || line.trim().startsWith("#")) {
        continue;
      }
      Matcher e = ENTRY.matcher(line);
      if (!e.matches()) {
        problems.add(where + ": cannot read the entry '" + line.trim()
            + "' ([FILE#]KEY[.KEY...] [* or / F] = FIGURE[%])");
        continue;
      }
      count++;
      String file = e.group(1) != null ? e.group(1) : first;
      String key = e.group(2);
      String written = e.group(5) + e.group(6);
      if (!json.containsKey(file)) {
        problems.add(where + ": " + file + " is not among the block's files");
        continue;
      }
      JsonNode node = at(json.get(file), key);
      if (node == null || !(node.isNumber() || node.isTextual() && isNumber(node.asText()))) {
        problems.add(where + ": " + key + " is not a number in " + file);
        continue;
      }
      BigDecimal value = new BigDecimal(node.isNumber() ? node.asText() : node.asText().trim());
      if (e.group(3) != null) {
        BigDecimal f = new BigDecimal(e.group(4));
        value = e.group(3).equals("*") ? value.multiply(f) : value.divide(f, 12, RoundingMode.HALF_UP);
      }
      if (!e.group(6).isEmpty()) {
        value = value.multiply(BigDecimal.valueOf(100));
      }
      BigDecimal shown = new BigDecimal(e.group(5).replace(",", ""));
      BigDecimal rounded = value.setScale(shown.scale(), RoundingMode.HALF_UP);
      if (rounded.compareTo(shown) != 0) {
        problems.add(where + ": " + key + " is written " + written + " but " + file + " says " + node.asText()
            + " (" + rounded.toPlainString() + e.group(6) + " rounded as written)");
      }
      int at = find(body, written, from);
      if (at < 0) {
        problems.add(where + ": " + key + " = " + written + " is listed but not written in the block"
            + (find(body, written, 0) >= 0 ? " after the previous figure (keep the listed order)" : ""));
      } else {
        from = at + written.length();
      }
    }
    if (count == 0) {
      problems.add(where + ": no figures listed");
    }
  }

  private static boolean isNumber(String s) {
    return s.trim().matches("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  }

  /** {@code a.b.c} or {@code a.list[2].c}. */
  private static JsonNode at(JsonNode root, String key) {
    JsonNode n = root;
    for (String part : key.split("\\.")) {
      Matcher idx = Pattern.compile("^([^\\[]+)((?:\\[\\d+\\])*)$").matcher(part);
      if (n == null || !idx.matches()) {
        return null;
      }
      n = n.get(idx.group(1));
      Matcher i = Pattern.compile("\\[(\\d+)\\]").matcher(idx.group(2));
      while (n != null && i.find()) {
        n = n.get(Integer.parseInt(i.group(1)));
      }
    }
    return n;
  }

  /** The first occurrence of {@code figure} at or after {@code from} as a whole number, not part of a longer one. */
  private static int find(String text, String figure, int from) {
    for (int i = text.indexOf(figure, from); i >= 0; i = text.indexOf(figure, i + 1)) {
      boolean startOk = i == 0 || !(Character.isDigit(text.charAt(i - 1)) || text.charAt(i - 1) == ','
          || text.charAt(i - 1) == '.' && i > 1 && Character.isDigit(text.charAt(i - 2)));
      int end = i + figure.length();
      boolean endOk = end >= text.length() || !(Character.isDigit(text.charAt(end))
          || (text.charAt(end) == '.' || text.charAt(end) == ',') && end + 1 < text.length()
              && Character.isDigit(text.charAt(end + 1)));
      if (startOk && endOk) {
        return i;
      }
    }
    return -1;
  }

  /** The text without fenced code blocks and inline code, where brackets are not links. */
  private static String withoutCode(String text) {
    return text.replaceAll("(?s)```.*?```", "").replaceAll("`[^`\\n]*`", "");
  }

  /** GitHub's heading anchors of a markdown file. */
  private static Set<String> anchors(Path md) throws IOException {
    Set<String> out = new HashSet<>();
    String text = Files.readString(md, StandardCharsets.UTF_8).replaceAll("(?s)```.*?```", "");
    for (String line : text.split("\n")) {
      Matcher h = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$").matcher(line);
      if (h.matches()) {
        String slug = h.group(1).toLowerCase(Locale.ROOT).replaceAll("[`*_]", "")
            .replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
            .replaceAll("[^\\p{L}\\p{N} -]", "").replace(' ', '-');
        String unique = slug;
        for (int n = 1; out.contains(unique); n++) {
          unique = slug + "-" + n;
        }
        out.add(unique);
      }
    }
    return out;
  }

  private static Path findRoot() {
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("ops"))
          && Files.isDirectory(d.resolve("docs"))) {
        return d;
      }
    }
    throw new IllegalStateException("no project root above " + System.getProperty("user.dir"));
  }
}
