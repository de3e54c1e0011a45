package no.followup.common.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import no.followup.http.BoundedExchange;

/**
 * A service's own access token, from the issuer's token endpoint with the client credentials grant
 * (RFC 6749 section 4.4; client authentication {@code client_secret_basic}). The token is kept until a
 * minute before it expires, so calls do not each cost a round trip to the identity provider.
 */
public final class ClientCredentials implements AccessTokenSource {

  /** How long before its expiry a token is replaced: a call must not set out with a token about to lapse. */
  static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(60);
  /** Lifetime assumed when the token endpoint does not say ({@code expires_in} is only recommended). */
  static final Duration ASSUMED_LIFETIME = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /**
   * The client's registration at the issuer.
   *
   * @param issuer the issuer whose discovery document names the token endpoint
   * @param clientId this service's client id
   * @param clientSecret its secret
   * @param scope the scope asked for (e.g. the called API's {@code api://followup-intake/.default}); null asks for none
   */
  public record Settings(String issuer, String clientId, String clientSecret, String scope) {
    public Settings {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      scope = scope == null || scope.isBlank() ? null : scope;
    }

    /** Without the secret: settings end up in logs and error messages. */
    @Override
    public String toString() {
      return "ClientCredentials.Settings[issuer=" + issuer + ", clientId=" + clientId + ", scope=" + scope + "]";
    }
  }

  private record Issued(String token, Instant renewAt) {}

  private final Settings settings;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private Issued current;

  public ClientCredentials(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public synchronized String accessToken() {
    if (current == null || !clock.instant().isBefore(current.renewAt())) {
      current = request();
    }
    return current.token();
  }

  private Issued request() {
    URI endpoint = OidcDiscovery.of(settings.issuer(), http).tokenEndpoint();
    if (endpoint == null) {
      throw new BearerAuthenticator.AuthUnavailableException("the issuer's discovery document names no token_endpoint", null);
    }
    String form = "grant_type=client_credentials"
        + (settings.scope() == null ? "" : "&scope=" + URLEncoder.encode(settings.scope(), StandardCharsets.UTF_8));
    // RFC 6749 section 2.3.1: id and secret are form-encoded before they are joined for basic auth
    String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(settings.clientSecret(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    Instant asked = clock.instant();
    try {
      HttpResponse<String> response = BoundedExchange.send(http, HttpRequest.newBuilder(endpoint)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("Authorization", "Basic " + basic)
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), TIMEOUT, OidcDiscovery.MAX_DOCUMENT_BYTES);
      if (response.statusCode() != 200) {
        // the body is not repeated: error descriptions may quote what was sent
        throw new BearerAuthenticator.AuthUnavailableException("the token endpoint answered " + response.statusCode(), null);
      }
      JsonNode body = JSON.readTree(response.body());
      String token = body.path("access_token").asText("");
      if (token.isBlank()) {
        throw new BearerAuthenticator.AuthUnavailableException("the token endpoint answered without an access_token", null);
      }
      Duration lifetime = body.path("expires_in").canConvertToLong()
          ? Duration.ofSeconds(body.path("expires_in").asLong()) : ASSUMED_LIFETIME;
      Duration keep = lifetime.compareTo(RENEW_BEFORE_EXPIRY.multipliedBy(2)) > 0
          ? lifetime.minus(RENEW_BEFORE_EXPIRY) : lifetime.dividedBy(2);
      return new Issued(token, asked.plus(keep));
    } catch (IOException e) {
      throw new BearerAuthenticator.AuthUnavailableException("the token endpoint could not be reached", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BearerAuthenticator.AuthUnavailableException("interrupted while asking for a token", e);
    }
  }
}
