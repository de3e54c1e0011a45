package no.followup.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import no.followup.common.Topics;

/**
 * Status throughput against the exactly-once count ceiling, at 10 and at 100 events per
 * participant: the events topic is pre-loaded (live traffic order), then the count ceiling, the
 * status service and the count ceiling again (each its own JVM, fresh application id) work through
 * it from the beginning; every rate counts from the first commit to the commit through the end
 * ({@link CatchUp}). The ratio at 100 over the ratio at 10 says whether an event's cost grows with
 * the participant's history. Each size runs on a broker of its own, as the topology always reads
 * the one events topic.
 */
final class StatusThroughput {

  static final double TARGET_RATIO_AT_10 = 0.6;
  static final double TARGET_GROWTH = 0.8;

  private final Path workDir;
  private final int events;
  private final String heap;
  /** Kafka Streams threads of the status service and of the ceiling alike. */
  private final int streamThreads;
  private final Duration limit;

  /**
   * @param events events per size: participants = events / 10 and events / 100
   * @param limit how long each application may take (see {@link CatchUp})
   */
  StatusThroughput(Path workDir, int events, String heap, int streamThreads, Duration limit) {
    this.workDir = workDir;
    this.events = events;
    this.heap = heap;
    this.streamThreads = streamThreads;
    this.limit = limit;
  }

  List<Row> run() {
    Result at10 = measure(10);
    Result at100 = measure(100);
    double growth = at100.ratio() / at10.ratio();
    List<Row> rows = new ArrayList<>();
    rows.add(at10.row("≥ " + TARGET_RATIO_AT_10, Row.Verdict.of(at10.ratio() >= TARGET_RATIO_AT_10)));
    rows.add(at100.row(Row.NONE, Row.Verdict.NONE));
    rows.add(new Row("status ratio at 100 events per participant ÷ ratio at 10", Row.ratio(at100.ratio()),
        Row.ratio(at10.ratio()), Row.ratio(growth), "≥ " + TARGET_GROWTH, Row.Verdict.of(growth >= TARGET_GROWTH)));
    return rows;
  }

  private record Result(SyntheticHistories histories, CatchUp.Rate status, CatchUp.Bracket ceiling) {
    double ratio() {
      return status.perSecond() / ceiling.perSecond();
    }

    Row row(String target, Row.Verdict verdict) {
      return new Row(String.format("status throughput, %,d participants × %d events", histories.participants(),
          histories.eventsPerParticipant()), Row.rate(status.perSecond()) + status.partialNote(),
          ceiling.describe("count, EOS"),
          Row.ratio(ratio()), target, verdict);
    }
  }

  private Result measure(int eventsPerParticipant) {
    SyntheticHistories histories = new SyntheticHistories("p", events / eventsPerParticipant, eventsPerParticipant);
    System.err.printf("status throughput at %d events per participant%n", eventsPerParticipant);
    try (BenchBroker broker = BenchBroker.start(workDir.resolve("status-" + eventsPerParticipant))) {
      histories.load(broker, Topics.EVENTS.name());
      CatchUp.Rate before = count(broker, "bench-count-before");
      CatchUp.Rate status;
      try (ChildJvm app = ChildJvm.status(broker, "bench-status", heap, streamThreads)) {
        status = CatchUp.await(broker, app, "bench-status", Topics.EVENTS.name(), limit);
      }
      System.err.printf("  status: %,.0f events/s%n", status.perSecond());
      return new Result(histories, status, new CatchUp.Bracket(before, count(broker, "bench-count-after")));
    }
  }

  /** One run of the count ceiling, under a fresh application id. */
  private CatchUp.Rate count(BenchBroker broker, String applicationId) {
    try (ChildJvm count = ChildJvm.ceiling(broker, CeilingTopology.Kind.COUNT, applicationId, heap, streamThreads)) {
      CatchUp.Rate rate = CatchUp.await(broker, count, applicationId, Topics.EVENTS.name(), limit);
      System.err.printf("  count ceiling: %,.0f events/s%n", rate.perSecond());
      return rate;
    }
  }
}
