package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HttpSmsGatewayTest {

  FakeHttpSmsGateway fake;
  final List<Duration> waits = new ArrayList<>();

  @BeforeEach
  void up() throws Exception {
    fake = new FakeHttpSmsGateway(true);
  }

  @AfterEach
  void down() {
    fake.close();
  }

  HttpSmsGateway gateway(HttpGatewayConfig config) {
    return new HttpSmsGateway(config, waits::add);
  }

  @Test
  void postsJsonWithTheIdempotencyKeyAndBearerToken() throws Exception {
    HttpSmsGateway gateway = gateway(HttpGatewayConfig.of(fake.url()).withAuth(HttpGatewayConfig.Auth.BEARER, null, "t0ken"));
    SmsGateway.Accepted accepted = gateway.send(new SmsMessage("r-1", "+4791234567", "Hei!"));
    assertThat(accepted).isEqualTo(new SmsGateway.Accepted("msg-1", 1));
    FakeHttpSmsGateway.Request request = fake.requests().get(0);
    assertThat(request.idempotencyKey()).isEqualTo("r-1");
    assertThat(request.authorization()).isEqualTo("Bearer t0ken");
    assertThat(request.contentType()).isEqualTo("application/json");
    assertThat(request.body().get("to").asText()).isEqualTo("+4791234567");
    assertThat(request.body().get("text").asText()).isEqualTo("Hei!");
    assertThat(request.body().get("reference").asText()).isEqualTo("r-1");
  }

  @Test
  void basicAuth() throws Exception {
    gateway(HttpGatewayConfig.of(fake.url()).withAuth(HttpGatewayConfig.Auth.BASIC, "user", "pass"))
        .send(new SmsMessage("r-1", "+4791234567", "Hei!"));
    assertThat(fake.requests().get(0).authorization())
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void retriesServerErrorsWithExponentialBackoffAndTheSameKey() throws Exception {
    fake.failNext(503, 500, 429);
    HttpSmsGateway gateway = gateway(HttpGatewayConfig.of(fake.url())
        .withRetries(5, Duration.ofMillis(100), Duration.ofMillis(300)));
    SmsGateway.Accepted accepted = gateway.send(new SmsMessage("r-1", "+4791234567", "Hei!"));
    assertThat(accepted.attempts()).isEqualTo(4);
    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
    assertThat(fake.requests()).extracting(FakeHttpSmsGateway.Request::idempotencyKey).containsOnly("r-1");
    assertThat(fake.delivered()).hasSize(1);
  }

  @Test
  void givesUpAfterMaxAttempts() {
    fake.failNext(503, 503, 503);
    HttpSmsGateway gateway = gateway(HttpGatewayConfig.of(fake.url()).withRetries(3, Duration.ofMillis(10), Duration.ofMillis(10)));
    assertThatThrownBy(() -> gateway.send(new SmsMessage("r-1", "+4791234567", "Hei!")))
        .isInstanceOfSatisfying(SmsGatewayException.class, e -> {
          assertThat(e.errorClass()).isEqualTo("HTTP_503");
          assertThat(e.attempts()).isEqualTo(3);
        });
    assertThat(fake.delivered()).isEmpty();
  }

  @Test
  void doesNotRetryAClientError() {
    fake.failNext(400);
    HttpSmsGateway gateway = gateway(HttpGatewayConfig.of(fake.url()));
    assertThatThrownBy(() -> gateway.send(new SmsMessage("r-1", "+4791234567", "Hei!")))
        .isInstanceOfSatisfying(SmsGatewayException.class, e -> {
          assertThat(e.errorClass()).isEqualTo("HTTP_400");
          assertThat(e.attempts()).isEqualTo(1);
        });
    assertThat(fake.requests()).hasSize(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void aTimeoutIsRetriedAndTheKeyPreventsASecondSms() throws Exception {
    fake.delayResponses(700);
    HttpSmsGateway gateway = gateway(HttpGatewayConfig.of(fake.url())
        .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300))
        .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(1)));
    assertThatThrownBy(() -> gateway.send(new SmsMessage("r-1", "+4791234567", "Hei!")))
        .isInstanceOfSatisfying(SmsGatewayException.class, e -> assertThat(e.errorClass()).contains("HttpTimeoutException"));
    fake.delayResponses(0);
    // the provider did receive the timed-out requests; it delivered once, by key
    SmsGateway.Accepted accepted = gateway.send(new SmsMessage("r-1", "+4791234567", "Hei!"));
    assertThat(fake.delivered()).hasSize(1);
    assertThat(accepted.messageId()).isEqualTo(fake.delivered().get(0).messageId());
  }

  @Test
  void anOversizedAnswerIsAcceptedWithoutItsMessageIdAndNotRetried() throws Exception {
    fake.answerAcceptedWith("{\"messageId\":\"m-1\",\"note\":\"" + "x".repeat(HttpSmsGateway.MAX_BODY_BYTES) + "\"}");
    SmsGateway.Accepted accepted = gateway(HttpGatewayConfig.of(fake.url())).send(new SmsMessage("r-1", "+4791234567", "Hei!"));
    assertThat(accepted).isEqualTo(new SmsGateway.Accepted(null, 1));
    assertThat(fake.requests()).hasSize(1);
    assertThat(fake.delivered()).hasSize(1);
  }

  /** Accepted is accepted: a body that stalls after the headers is waited for no longer than the timeout, and not sent again. */
  @Test
  @Timeout(20)
  void anAcceptedAnswerWhoseBodyStallsIsAcceptedWithoutItsMessageIdAtTheTimeout() throws Exception {
    HttpSmsGateway gateway = gateway(HttpGatewayConfig.of(fake.url())
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(2))
        .withRetries(3, Duration.ofMillis(1), Duration.ofMillis(1)));
    // a first message readies the client, so the headers of the next arrive well within the timeout
    gateway.send(new SmsMessage("r-0", "+4791234567", "Hei!"));
    fake.stallAfterAcceptedHeaders();

    assertThat(gateway.send(new SmsMessage("r-1", "+4791234567", "Hei!"))).isEqualTo(new SmsGateway.Accepted(null, 1));
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void anAnswerJustUnderTheLimitIsRead() throws Exception {
    String start = "{\"messageId\":\"m-1\",\"note\":\"";
    fake.answerAcceptedWith(start + "x".repeat(HttpSmsGateway.MAX_BODY_BYTES - start.length() - 2) + "\"}");
    assertThat(gateway(HttpGatewayConfig.of(fake.url())).send(new SmsMessage("r-1", "+4791234567", "Hei!")).messageId())
        .isEqualTo("m-1");
  }

  @Test
  void keepsOnlyAMessageIdOfAtMost128PrintableAsciiCharacters() throws Exception {
    HttpSmsGateway gateway = gateway(HttpGatewayConfig.of(fake.url()));
    String longest = "a".repeat(HttpSmsGateway.MAX_MESSAGE_ID_LENGTH);
    Map<String, String> answers = new LinkedHashMap<>();
    answers.put("{\"messageId\":\"" + longest + "\"}", longest);
    answers.put("{\"id\":12345}", "12345");
    answers.put("{\"messageId\":\"" + longest + "b\"}", null);
    answers.put("{\"messageId\":\"m-1\\n+4791234567\"}", null);
    answers.put("{\"messageId\":\"m-\u00f8\"}", null);
    answers.put("{\"messageId\":\"\"}", null);
    answers.put("{\"messageId\":{\"to\":\"+4791234567\"}}", null);
    answers.put("[\"m-1\"]", null);
    answers.forEach((body, expected) -> {
      fake.answerAcceptedWith(body);
      try {
        assertThat(gateway.send(new SmsMessage("r-" + body.hashCode(), "+4791234567", "Hei!")).messageId())
            .as(body).isEqualTo(expected);
      } catch (SmsGatewayException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void backoffDoublesAndIsCapped() {
    HttpSmsGateway gateway = gateway(HttpGatewayConfig.of(fake.url()).withRetries(10, Duration.ofMillis(200), Duration.ofSeconds(1)));
    assertThat(List.of(gateway.backoff(1), gateway.backoff(2), gateway.backoff(3), gateway.backoff(4), gateway.backoff(9)))
        .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofSeconds(1),
            Duration.ofSeconds(1));
  }
}
