package io.llavaseg.ops.watch;

import java.util.List;
import java.util.Locale;

/**
 * The HTML of the live page: a header with the count of masks seen, then one tile per (source,
 * question). The tiles present when the page is served are in the HTML; a small script polls
 * {@code latest.json} each second and redraws the grid when anything changed (no network beyond
 * this server, no libraries).
 */
final class WatchPage {
  private WatchPage() {}

  static String html(List<LatestResults.Entry> entries, long masksSeen) {
    StringBuilder tiles = new StringBuilder();
    for (LatestResults.Entry e : entries) {
      tiles.append(tile(WatchServer.tileUrl(e), e.key() + ": " + e.answer()));
    }
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>llavaseg watch</title>
        <style>
        body{font-family:sans-serif;margin:16px;background:#f4f4f4;color:#111}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:12px}
        figure{margin:0;background:#fff;border:1px solid #ccc;padding:4px}
        figcaption{font-size:12px;color:#444;padding-top:4px}img{display:block;max-width:100%%}
        </style></head><body>
        <h1>llavaseg watch: the newest answer and mask per camera and question</h1>
        <p id="status">%d entries, %d masks seen</p>
        <div class="grid" id="grid">
        %s</div>
        <script>
        let version = -1;
        function esc(s){return String(s).replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));}
        async function tick(){
          try {
            const r = await fetch('latest.json', {cache:'no-store'});
            const d = await r.json();
            document.getElementById('status').textContent = d.entries.length + ' entries, ' + d.masks_seen + ' masks seen';
            if (d.version === version) return;
            version = d.version;
            document.getElementById('grid').innerHTML = d.entries.map(e =>
              '<figure><img src="' + esc(e.tile) + '" alt="' + esc(e.key) + '"><figcaption>' + esc(e.key) + ': '
              + esc(e.answer) + ' (' + e.capture_to_mask_ms + ' ms)</figcaption></figure>').join('\\n');
          } catch (err) {
            document.getElementById('status').textContent = 'cannot reach the watch server: ' + err;
          }
        }
        setInterval(tick, 1000);
        </script>
        </body></html>
        """.formatted(entries.size(), masksSeen, tiles);
  }

  private static String tile(String src, String caption) {
    return String.format(Locale.ROOT, "<figure><img src=\"%s\" alt=\"%s\"><figcaption>%s</figcaption></figure>%n",
        escape(src), escape(caption), escape(caption));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
