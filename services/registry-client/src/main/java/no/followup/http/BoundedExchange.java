package no.followup.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HTTP exchange under one deadline, the answer's body included, and with a bound on that body.
 * {@link HttpRequest#timeout} only bounds the wait for the answer's headers: a peer (or a proxy
 * before it) that sends its headers and then stalls in the body would hold the calling thread for
 * good, and one that sends without end would fill the heap. A late exchange is cancelled, which
 * closes its connection. The JDK has neither. It lives with the schema registry client, the module
 * every other depends on, which uses it too.
 */
public final class BoundedExchange {

  private BoundedExchange() {}

  /**
   * Sends {@code request} and reads the whole answer as UTF-8 text within {@code deadline}.
   *
   * @throws HttpTimeoutException when no answer's headers arrived within the deadline
   * @throws IncompleteAnswer when the headers arrived but the body did not, whole, within the
   *     deadline, or was longer than {@code maxBodyBytes}: its status says what the peer decided
   */
  public static HttpResponse<String> send(HttpClient http, HttpRequest request, Duration deadline, int maxBodyBytes)
      throws IOException, InterruptedException {
    AtomicInteger headersStatus = new AtomicInteger();
    CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request, info -> {
      headersStatus.set(info.statusCode());
      return HttpResponse.BodySubscribers.mapping(new BoundedBody(info.statusCode(), maxBodyBytes),
          bytes -> new String(bytes, StandardCharsets.UTF_8));
    });
    try {
      return answer.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (!answer.cancel(true) && !answer.isCompletedExceptionally()) {
        return answer.join(); // complete the moment the deadline passed: the answer stands
      }
      int status = headersStatus.get();
      if (status != 0) {
        throw new IncompleteAnswer(status, "an answer " + status + " whose body did not arrive whole within "
            + deadline.toMillis() + " ms");
      }
      throw new HttpTimeoutException("no answer within " + deadline.toMillis() + " ms");
    } catch (InterruptedException e) {
      answer.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      throw new IOException(cause);
    }
  }

  /**
   * An answer whose headers arrived, with {@link #status()}, but whose body was not read whole: too
   * long, or not complete within the deadline. What the status says the peer did, it did.
   */
  public static final class IncompleteAnswer extends IOException {
    private final int status;

    IncompleteAnswer(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** Collects a body up to a bound; past it, stops reading and fails. */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int status;
    private final int maxBodyBytes;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    BoundedBody(int status, int maxBodyBytes) {
      this.status = status;
      this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      // buffers already on their way when the subscription was cancelled are not wanted
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        if (bytes.size() + buffer.remaining() > maxBodyBytes) {
          subscription.cancel();
          body.completeExceptionally(new IncompleteAnswer(status, "an answer " + status + " larger than " + maxBodyBytes + " bytes"));
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable failure) {
      body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toByteArray());
    }
  }
}
