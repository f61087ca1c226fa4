package io.llavaseg.ops.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code index.html}: the summary on top, then the charts (inline SVG), then every query's
 * overlay in a grid.
 */
public final class IndexPage {

  /** One tile of the grid. */
  public record Tile(String png, String caption, boolean ok) {}

  private IndexPage() {}

  public static void write(Path file, String title, List<String[]> summaryRows, List<Tile> tiles) throws IOException {
    write(file, title, summaryRows, List.of(), tiles);
  }

  /** As above, with {@code charts} (SVG elements) between the summary and the grid. */
  public static void write(Path file, String title, List<String[]> summaryRows, List<String> charts, List<Tile> tiles)
      throws IOException {
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(escape(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:16px;background:#f4f4f4;color:#111}\n")
        .append("table{border-collapse:collapse;margin-bottom:16px}td,th{border:1px solid #bbb;padding:4px 10px;text-align:left}\n")
        .append(".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:12px}\n")
        .append("figure{margin:0;background:#fff;border:1px solid #ccc;padding:4px}figure.bad{border:2px solid #d33}\n")
        .append("figcaption{font-size:12px;color:#444;padding-top:4px}img{display:block;max-width:100%}\n")
        .append(".charts{display:flex;flex-wrap:wrap;gap:24px;margin-bottom:16px}.charts svg{background:#fff;padding:8px}\n")
        .append("</style></head><body>\n<h1>")
        .append(escape(title))
        .append("</h1>\n<table>\n");
    for (String[] row : summaryRows) {
      html.append("<tr><th>").append(escape(row[0])).append("</th><td>").append(escape(row[1])).append("</td></tr>\n");
    }
    html.append("</table>\n");
    if (!charts.isEmpty()) {
      html.append("<div class=\"charts\">\n");
      charts.forEach(c -> html.append(c).append('\n'));
      html.append("</div>\n");
    }
    html.append("<div class=\"grid\">\n");
    for (Tile tile : tiles) {
      html.append("<figure").append(tile.ok() ? "" : " class=\"bad\"").append("><img src=\"")
          .append(escape(tile.png()))
          .append("\" alt=\"")
          .append(escape(tile.caption()))
          .append("\"><figcaption>")
          .append(escape(tile.caption()))
          .append("</figcaption></figure>\n");
    }
    html.append("</div>\n</body></html>\n");
    Files.writeString(file, html.toString(), StandardCharsets.UTF_8);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
