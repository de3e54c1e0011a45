package no.followup.common.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A local OpenID Connect issuer for tests: a discovery document, a JWKS with a locally generated
 * key and a token endpoint for the client credentials grant, over real HTTP on 127.0.0.1. It signs
 * access tokens ({@code typ at+jwt}), ID tokens and whatever a test wants to try.
 */
public final class TestIssuer implements AutoCloseable {

  /** The signing key's id; the impostor's key (see {@link #forge}) has the same id. */
  private static final String KEY_ID = "k1";

  private final HttpServer server;
  private final String issuer;
  private final RSAKey key;
  private final RSAKey impostorKey;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final AtomicInteger tokensIssued = new AtomicInteger();

  private record Client(String secret, String audience) {}

  private TestIssuer(HttpServer server, RSAKey key, RSAKey impostorKey) {
    this.server = server;
    this.key = key;
    this.impostorKey = impostorKey;
    this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/nav";
  }

  public static TestIssuer start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      TestIssuer issuer = new TestIssuer(server, new RSAKeyGenerator(2048).keyID(KEY_ID).generate(),
          new RSAKeyGenerator(2048).keyID(KEY_ID).generate());
      String jwks = new JWKSet(issuer.key.toPublicJWK()).toString();
      server.createContext("/realms/nav/.well-known/openid-configuration", exchange -> respond(exchange, 200,
          "{\"issuer\":\"" + issuer.issuer + "\",\"jwks_uri\":\"" + issuer.issuer + "/jwks\",\"token_endpoint\":\""
              + issuer.issuer + "/token\"}"));
      server.createContext("/realms/nav/jwks", exchange -> respond(exchange, 200, jwks));
      server.createContext("/realms/nav/token", issuer::clientCredentials);
      server.start();
      return issuer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public String issuer() {
    return issuer;
  }

  /** Lets a client get access tokens for {@code audience} with the client credentials grant; they grant SYSTEM. */
  public void registerClient(String clientId, String secret, String audience) {
    clients.put(clientId, new Client(secret, audience));
  }

  /** How many tokens the token endpoint has issued. */
  public int tokensIssued() {
    return tokensIssued.get();
  }

  /** Claims of a valid token for {@code audience}: this issuer, issued now, valid five minutes. */
  public JWTClaimsSet.Builder claims(String audience) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(audience)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
  }

  /** A staff member's access token ({@code typ at+jwt}) with the default claim names. */
  public String staffToken(String audience, String staffId, List<String> roles, List<String> offices) {
    return accessToken(audience, c -> c.subject(staffId).claim("roles", roles).claim("offices", offices));
  }

  /** An access token ({@code typ at+jwt}, RFC 9068) for {@code audience}, with the test's claims. */
  public String accessToken(String audience, Consumer<JWTClaimsSet.Builder> customise) {
    JWTClaimsSet.Builder claims = claims(audience);
    customise.accept(claims);
    return sign(new JOSEObjectType("at+jwt"), claims.build());
  }

  /**
   * An ID token as a sign-in page receives it: {@code typ JWT}, a {@code nonce}, the page's client id
   * as audience (here {@code audience}, the worst case: the same as the service's).
   */
  public String idToken(String audience, Consumer<JWTClaimsSet.Builder> customise) {
    JWTClaimsSet.Builder claims = claims(audience).claim("nonce", "n-0S6_WzA2Mj").claim("auth_time", Instant.now().getEpochSecond());
    customise.accept(claims);
    return sign(JOSEObjectType.JWT, claims.build());
  }

  /** Signs {@code claims} with the issuer's key (RS256) and the given {@code typ} (null: none). */
  public String sign(JOSEObjectType type, JWTClaimsSet claims) {
    return sign(type, claims, key);
  }

  /** An access token signed with a key of the published key's id that the issuer does not publish. */
  public String forge(JWTClaimsSet claims) {
    return sign(new JOSEObjectType("at+jwt"), claims, impostorKey);
  }

  private static String sign(JOSEObjectType type, JWTClaimsSet claims, RSAKey signingKey) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).type(type).build(),
          claims);
      jwt.sign(new RSASSASigner(signingKey));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The token endpoint: client credentials with client_secret_basic, as RFC 6749 section 4.4 says. */
  private void clientCredentials(HttpExchange exchange) throws IOException {
    String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (!"POST".equals(exchange.getRequestMethod()) || !form.contains("grant_type=client_credentials")
        || authorization == null || !authorization.startsWith("Basic ")) {
      respond(exchange, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    String[] idAndSecret = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8).split(":", 2);
    Client client = clients.get(URLDecoder.decode(idAndSecret[0], StandardCharsets.UTF_8));
    if (client == null || idAndSecret.length != 2 || !client.secret().equals(URLDecoder.decode(idAndSecret[1], StandardCharsets.UTF_8))) {
      respond(exchange, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    String clientId = URLDecoder.decode(idAndSecret[0], StandardCharsets.UTF_8);
    String token = accessToken(client.audience(), c -> c.subject(clientId).claim("roles", List.of("SYSTEM")));
    tokensIssued.incrementAndGet();
    respond(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
