package no.followup.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import no.followup.common.Topics;
import no.followup.common.auth.LocalToken;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Asks every status instance in turn for the load's office list ({@code GET /api/v1/participants?office=},
 * gathered over both instances) for as long as a chaos run lasts, and sorts each answer. A 200 is
 * complete when it holds every participant whose status the status service had committed to the
 * status topic before the request was sent (read here as read_committed): such a status is in the
 * store of whichever instance serves its partition, also after a crash. A list may hold more (a
 * store can show what its transaction has not committed yet), never less. A 503 must carry
 * Retry-After, and come only while the suite has an instance away: from a kill until every instance
 * is ready again, and {@link #GRACE} after.
 */
final class OfficeListWatcher implements AutoCloseable {

  /**
   * How long after every instance is ready again a 503 still counts as part of the disturbance: a
   * restarted instance reports ready when its own tasks run, and the other may still be finishing
   * the rebalance its return set off.
   */
  static final Duration GRACE = Duration.ofSeconds(15);

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Between two questions: some hundreds in a run, without taking much of 2 cores from the services. */
  private static final Duration PACE = Duration.ofMillis(400);

  /** What the watcher saw, over every answer of every instance. */
  record Findings(long complete, long partial, long unavailable, long unavailableWithoutRetryAfter,
      long unavailableWhileAllUp, long otherStatus, long noAnswerWhileAllUp, long noAnswer, String firstFault) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Integer> ports;
  private final LocalToken token;
  private final String participantPrefix;
  private final KafkaConsumer<String, byte[]> committed;
  private final Set<String> committedParticipants = new HashSet<>();
  private final Set<Integer> answeredComplete = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean running = true;
  /** Instances away (a kill until all ready again); guarded by this with {@link #upSince}. */
  private int away;
  private long upSince = System.nanoTime();
  private final AtomicLong complete = new AtomicLong();
  private final AtomicLong partial = new AtomicLong();
  private final AtomicLong unavailable = new AtomicLong();
  private final AtomicLong withoutRetryAfter = new AtomicLong();
  private final AtomicLong unavailableWhileAllUp = new AtomicLong();
  private final AtomicLong otherStatus = new AtomicLong();
  private final AtomicLong noAnswer = new AtomicLong();
  private final AtomicLong noAnswerWhileAllUp = new AtomicLong();
  private volatile String firstFault;

  /**
   * @param ports the status instances' HTTP ports
   * @param participantPrefix the ids of the load's participants (all in {@link ChaosLoad#OFFICE})
   */
  OfficeListWatcher(String bootstrap, List<Integer> ports, LocalToken token, String participantPrefix) {
    this.ports = List.copyOf(ports);
    this.token = token;
    this.participantPrefix = participantPrefix;
    this.committed = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = committed.partitionsFor(Topics.PARTICIPANT_STATUS.name(), Duration.ofSeconds(30)).stream()
        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    committed.assign(partitions);
    committed.seekToBeginning(partitions);
    this.thread = new Thread(this::watch, "office-list-watcher");
    thread.setDaemon(true);
  }

  /** Starts asking; until then (and from now on) the instances count as all up. */
  void start() {
    thread.start();
  }

  /**
   * Waits until every instance has answered a complete list: the instances have settled their
   * first rebalances, so that what is timed next is not their start.
   */
  void awaitCompleteFromEach(Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    while (answeredComplete.size() < ports.size()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("not every status instance answered a complete office list within " + limit
            + "; first fault: " + firstFault);
      }
      ServiceProcess.pause(PACE);
    }
  }

  /** An instance is about to be killed (or the broker restarted): 503s are expected until {@link #allUp()}. */
  synchronized void instanceAway() {
    away++;
  }

  /** Every instance is ready again. */
  synchronized void allUp() {
    away = 0;
    upSince = System.nanoTime();
  }

  private synchronized boolean allUpForAWhile() {
    return away == 0 && System.nanoTime() - upSince > GRACE.toNanos();
  }

  private void watch() {
    int turn = 0;
    while (running) {
      int port = ports.get(turn++ % ports.size());
      committed.poll(Duration.ofMillis(50)).forEach(record -> {
        if (record.key() != null && record.key().startsWith(participantPrefix) && record.value() != null) {
          committedParticipants.add(record.key());
        }
      });
      Set<String> mustShow = Set.copyOf(committedParticipants);
      boolean upBefore = allUpForAWhile();
      try {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/participants?office=" + ChaosLoad.OFFICE))
            .header("Authorization", "Bearer " + token.value()).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        sort(port, answer, mustShow, upBefore && allUpForAWhile());
      } catch (IOException unreachable) {
        noAnswer.incrementAndGet();
        if (upBefore && allUpForAWhile()) {
          noAnswerWhileAllUp.incrementAndGet();
          fault("no answer from :" + port + " while every instance was up: " + unreachable);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      ServiceProcess.pause(PACE);
    }
  }

  private void sort(int port, HttpResponse<String> answer, Set<String> mustShow, boolean allUp) throws IOException {
    if (answer.statusCode() == 503) {
      unavailable.incrementAndGet();
      if (answer.headers().firstValue("Retry-After").isEmpty()) {
        withoutRetryAfter.incrementAndGet();
        fault("503 without Retry-After from :" + port);
      }
      if (allUp) {
        unavailableWhileAllUp.incrementAndGet();
        fault("503 from :" + port + " while every instance was up: " + answer.body());
      }
      return;
    }
    if (answer.statusCode() != 200) {
      otherStatus.incrementAndGet();
      fault(answer.statusCode() + " from :" + port + ": " + answer.body());
      return;
    }
    JsonNode body = JSON.readTree(answer.body());
    Set<String> shown = new HashSet<>(body.path("participants").findValuesAsText("participantId"));
    if (body.path("complete").asBoolean() && shown.containsAll(mustShow)) {
      complete.incrementAndGet();
      answeredComplete.add(port);
    } else {
      partial.incrementAndGet();
      Set<String> missing = new HashSet<>(mustShow);
      missing.removeAll(shown);
      fault("a partial 200 from :" + port + ": " + missing.size() + " of " + mustShow.size() + " committed participants missing");
    }
  }

  private void fault(String description) {
    if (firstFault == null) {
      firstFault = description;
    }
  }

  Findings findings() {
    return new Findings(complete.get(), partial.get(), unavailable.get(), withoutRetryAfter.get(), unavailableWhileAllUp.get(),
        otherStatus.get(), noAnswerWhileAllUp.get(), noAnswer.get(), firstFault);
  }

  @Override
  public void close() {
    // no interrupt: the current request ends within its timeout, and the consumer is not left mid-poll
    running = false;
    try {
      thread.join(Duration.ofSeconds(15).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!thread.isAlive()) {
      committed.close(Duration.ofSeconds(5));
    }
  }
}
