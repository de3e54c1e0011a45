package no.followup.registry;

import java.util.Map;

/** Creates schema registry clients from Kafka-style configuration. */
public final class SchemaRegistryClients {

  /** The url scheme of the in-memory registry for unit tests, as in Confluent's serdes. */
  public static final String MOCK_SCHEME = "mock://";

  private SchemaRegistryClients() {}

  /**
   * A REST client for {@code schema.registry.url} (a comma-separated list is allowed), or, when the
   * url is {@code mock://<scope>}, the in-memory registry shared by every client of that scope.
   */
  public static SchemaRegistryClient create(Map<String, ?> config) {
    Object url = config.get(RegistryClientConfig.URL);
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException(RegistryClientConfig.URL + " is required");
    }
    String urls = url.toString().trim();
    if (urls.startsWith(MOCK_SCHEME)) {
      if (urls.contains(",")) {
        throw new IllegalArgumentException("a mock:// url cannot be combined with other urls: " + urls);
      }
      return InMemorySchemaRegistryClient.forScope(urls.substring(MOCK_SCHEME.length()));
    }
    return new RestSchemaRegistryClient(RegistryClientConfig.fromMap(config));
  }

  /** A REST client for one url with default settings. */
  public static SchemaRegistryClient create(String url) {
    return create(Map.of(RegistryClientConfig.URL, url));
  }
}
