package no.followup.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of the REST client, read from the same keys as Confluent's client so one configuration
 * map serves producers, consumers, Streams and this client.
 *
 * @param urls registry base urls; on a connection error the client tries the next
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or null
 * @param requestTimeout time allowed for one HTTP exchange, from sending the request to the answer's last byte
 * @param connectTimeout time allowed to open a connection
 * @param maxRetries retries after the first attempt, on 5xx, 408, 429, unusable 2xx answers and connection errors only
 * @param retryBackoff first backoff; doubled on each retry up to {@code maxRetryBackoff}
 */
public record RegistryClientConfig(
    List<URI> urls,
    String basicAuthUserInfo,
    TlsSettings tls,
    Duration requestTimeout,
    Duration connectTimeout,
    int maxRetries,
    Duration retryBackoff,
    Duration maxRetryBackoff) {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  /** Also accepted, as Confluent's clients do. */
  public static final String PREFIXED_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
  public static final String MAX_RETRIES = "schema.registry.max.retries";
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
  public static final String MAX_RETRY_BACKOFF_MS = "schema.registry.retry.backoff.max.ms";

  /** Trust store (to trust the registry's certificate) and key store (for mutual TLS); any may be null. */
  public record TlsSettings(String truststoreLocation, String truststorePassword, String truststoreType,
                            String keystoreLocation, String keystorePassword, String keystoreType, String keyPassword) {
    public static final TlsSettings NONE = new TlsSettings(null, null, null, null, null, null, null);

    public boolean configured() {
      return truststoreLocation != null || keystoreLocation != null;
    }

    @Override
    public String toString() {
      return "TlsSettings[truststore=" + truststoreLocation + ", keystore=" + keystoreLocation + "]";
    }
  }

  public RegistryClientConfig {
    if (urls == null || urls.isEmpty()) {
      throw new IllegalArgumentException(URL + " is required");
    }
    urls = List.copyOf(urls);
    tls = tls == null ? TlsSettings.NONE : tls;
    if (maxRetries < 0) {
      throw new IllegalArgumentException(MAX_RETRIES + " must not be negative");
    }
  }

  /** Defaults for one registry url: 10 s requests, 5 s connect, 3 retries from 100 ms up to 2 s. */
  public static RegistryClientConfig of(String url) {
    return fromMap(Map.of(URL, url));
  }

  /** Reads the settings from a Kafka-style configuration map (values may be strings or numbers). */
  public static RegistryClientConfig fromMap(Map<String, ?> config) {
    String urlList = string(config, URL);
    if (urlList == null || urlList.isBlank()) {
      throw new IllegalArgumentException(URL + " is required");
    }
    List<URI> urls = Arrays.stream(urlList.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(s -> URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s))
        .toList();
    String source = string(config, BASIC_AUTH_CREDENTIALS_SOURCE);
    String userInfo = string(config, BASIC_AUTH_USER_INFO);
    if (userInfo == null) {
      userInfo = string(config, PREFIXED_BASIC_AUTH_USER_INFO);
    }
    if (source != null && source.toUpperCase(Locale.ROOT).equals("URL")) {
      userInfo = urls.get(0).getUserInfo();
    } else if (source == null && userInfo == null && urls.get(0).getUserInfo() != null) {
      // Credentials written into the url are meant to be used: every service then authenticates
      // through its one SCHEMA_REGISTRY_URL setting, with no separate credentials option to plumb.
      userInfo = urls.get(0).getUserInfo();
    } else if (source != null && !source.toUpperCase(Locale.ROOT).equals("USER_INFO")) {
      throw new IllegalArgumentException(BASIC_AUTH_CREDENTIALS_SOURCE + " must be USER_INFO or URL, was " + source);
    }
    if (userInfo != null && userInfo.isBlank()) {
      userInfo = null;
    }
    TlsSettings tls = new TlsSettings(
        string(config, TRUSTSTORE_LOCATION), string(config, TRUSTSTORE_PASSWORD), string(config, TRUSTSTORE_TYPE),
        string(config, KEYSTORE_LOCATION), string(config, KEYSTORE_PASSWORD), string(config, KEYSTORE_TYPE),
        string(config, KEY_PASSWORD));
    return new RegistryClientConfig(urls, userInfo, tls,
        Duration.ofMillis(number(config, REQUEST_TIMEOUT_MS, 10_000)),
        Duration.ofMillis(number(config, CONNECT_TIMEOUT_MS, 5_000)),
        (int) number(config, MAX_RETRIES, 3),
        Duration.ofMillis(number(config, RETRY_BACKOFF_MS, 100)),
        Duration.ofMillis(number(config, MAX_RETRY_BACKOFF_MS, 2_000)));
  }

  /** Never prints the credentials. */
  @Override
  public String toString() {
    return "RegistryClientConfig[urls=" + urls.stream().map(RegistryClientConfig::withoutUserInfo).toList()
        + ", basicAuth=" + (basicAuthUserInfo != null) + ", tls=" + tls + ", requestTimeout=" + requestTimeout
        + ", maxRetries=" + maxRetries + "]";
  }

  static String withoutUserInfo(URI uri) {
    return uri.getUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "");
  }

  private static String string(Map<String, ?> config, String key) {
    Object value = config.get(key);
    if (value == null) {
      return null;
    }
    // Kafka's Password type hides its value in toString
    if (value instanceof org.apache.kafka.common.config.types.Password password) {
      return password.value();
    }
    return value.toString();
  }

  private static long number(Map<String, ?> config, String key, long defaultValue) {
    Object value = config.get(key);
    if (value == null || value.toString().isBlank()) {
      return defaultValue;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, was " + value, e);
    }
  }
}
