package io.llavaseg.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets in the service's properties stay out of the file and out of the logs. A value may be
 * {@code ${file:/path}} (the file's content, trimmed: a mounted Kubernetes secret) or {@code
 * ${env:NAME}} (an environment variable), resolved when the configuration is read; a missing file
 * or variable fails start-up naming the key, never the value. {@link #isSecret} says which keys
 * are masked wherever the configuration is shown ({@code run --print-config}, logs).
 */
public final class Secrets {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(file|env):([^}]+)}");
  private static final List<String> SECRET_MARKERS = List.of("password", "secret", "user.info", "jaas", "token",
      "credentials", "api.key", "apikey");
  public static final String MASK = "[hidden]";

  private Secrets() {}

  /** Resolves every {@code ${file:...}} and {@code ${env:...}} in the values, in place. */
  public static void resolve(Properties props) {
    resolve(props, System::getenv);
  }

  static void resolve(Properties props, Function<String, String> env) {
    for (String key : props.stringPropertyNames()) {
      String value = props.getProperty(key);
      Matcher m = REFERENCE.matcher(value);
      if (!m.find()) {
        continue;
      }
      StringBuilder out = new StringBuilder();
      m.reset();
      while (m.find()) {
        String resolved;
        if (m.group(1).equals("env")) {
          resolved = env.apply(m.group(2).strip());
          if (resolved == null) {
            throw new IllegalArgumentException(key + " names environment variable " + m.group(2).strip()
                + ", which is not set");
          }
        } else {
          try {
            resolved = Files.readString(Path.of(m.group(2).strip()), StandardCharsets.UTF_8).strip();
          } catch (IOException e) {
            throw new IllegalArgumentException(key + " names file " + m.group(2).strip() + ", which cannot be read: "
                + e.getClass().getSimpleName());
          }
        }
        m.appendReplacement(out, Matcher.quoteReplacement(resolved));
      }
      m.appendTail(out);
      props.setProperty(key, out.toString());
    }
  }

  /** Whether a key's value must never be shown (passwords, user info, JAAS configs, tokens, API keys). */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return SECRET_MARKERS.stream().anyMatch(k::contains);
  }

  /** User info in a URL ({@code scheme://user:password@host}), masked wherever it appears. */
  private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s,;]+@");

  /**
   * The value to show for a key: {@link #MASK} for a secret, else the value with the user info of
   * any URL in it masked ({@code https://[hidden]@registry:8081}).
   */
  public static String shown(String key, String value) {
    if (isSecret(key)) {
      return MASK;
    }
    return value == null ? null : URL_USER_INFO.matcher(value).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
  }

  /** A copy of the map for display, secrets masked. */
  public static Map<String, String> masked(Map<String, String> values) {
    Map<String, String> out = new java.util.TreeMap<>();
    values.forEach((k, v) -> out.put(k, shown(k, v)));
    return out;
  }
}
