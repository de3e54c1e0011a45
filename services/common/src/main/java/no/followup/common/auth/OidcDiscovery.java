package no.followup.common.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import no.followup.http.BoundedExchange;

/**
 * What an issuer's {@code /.well-known/openid-configuration} says (OpenID Connect Discovery 1.0).
 *
 * @param jwksUri where the issuer's signing keys are
 * @param tokenEndpoint where tokens are issued (client credentials); null when the document names none
 */
public record OidcDiscovery(URI jwksUri, URI tokenEndpoint) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  /** A discovery document or a token answer is a few kilobytes. */
  static final int MAX_DOCUMENT_BYTES = 256 * 1024;

  /**
   * Reads the issuer's discovery document.
   *
   * @throws BearerAuthenticator.AuthUnavailableException when it cannot be read, names another issuer or no keys
   */
  public static OidcDiscovery of(String issuer, HttpClient http) {
    URI discovery = URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
        + "/.well-known/openid-configuration");
    try {
      HttpResponse<String> response = BoundedExchange.send(http, HttpRequest.newBuilder(discovery).GET().build(), TIMEOUT,
          MAX_DOCUMENT_BYTES);
      if (response.statusCode() != 200) {
        throw new BearerAuthenticator.AuthUnavailableException("OIDC discovery answered " + response.statusCode(), null);
      }
      JsonNode doc = JSON.readTree(response.body());
      if (!issuer.equals(doc.path("issuer").asText())) {
        // the discovery document must be the configured issuer's own (OpenID Connect Discovery 1.0, section 4.3)
        throw new BearerAuthenticator.AuthUnavailableException("OIDC discovery document names another issuer", null);
      }
      String jwks = doc.path("jwks_uri").asText("");
      if (jwks.isBlank()) {
        throw new BearerAuthenticator.AuthUnavailableException("OIDC discovery document has no jwks_uri", null);
      }
      String token = doc.path("token_endpoint").asText("");
      return new OidcDiscovery(URI.create(jwks), token.isBlank() ? null : URI.create(token));
    } catch (IOException | IllegalArgumentException e) {
      throw new BearerAuthenticator.AuthUnavailableException("OIDC discovery failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BearerAuthenticator.AuthUnavailableException("interrupted during OIDC discovery", e);
    }
  }
}
