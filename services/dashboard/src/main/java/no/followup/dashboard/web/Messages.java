package no.followup.dashboard.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The page's labels: Norwegian bokmål (the default) and English, from
 * {@code i18n/messages_<lang>.properties} (UTF-8). Both bundles must hold the same keys; a test checks it.
 */
public final class Messages {

  public static final String DEFAULT_LANGUAGE = "nb";
  public static final List<String> LANGUAGES = List.of("nb", "en");

  private final Map<String, Map<String, String>> bundles = new TreeMap<>();

  public Messages() {
    for (String lang : LANGUAGES) {
      bundles.put(lang, load(lang));
    }
  }

  /** The language to use for a requested one: a supported language, else bokmål. */
  public static String language(String requested) {
    if (requested == null) {
      return DEFAULT_LANGUAGE;
    }
    String lang = requested.trim().toLowerCase(Locale.ROOT);
    if (lang.equals("no") || lang.equals("nob")) {
      return DEFAULT_LANGUAGE;
    }
    return LANGUAGES.contains(lang) ? lang : DEFAULT_LANGUAGE;
  }

  /** Every label of a language, by key (sorted). */
  public Map<String, String> labels(String lang) {
    return bundles.get(language(lang));
  }

  private static Map<String, String> load(String lang) {
    String resource = "i18n/messages_" + lang + ".properties";
    try (InputStream in = Messages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing label bundle " + resource);
      }
      Properties props = new Properties();
      props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      Map<String, String> labels = new TreeMap<>();
      props.forEach((k, v) -> labels.put(k.toString(), v.toString()));
      return Map.copyOf(labels);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
