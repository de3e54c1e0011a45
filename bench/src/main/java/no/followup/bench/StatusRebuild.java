package no.followup.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import no.followup.common.Topics;

/**
 * Rebuild: a new status deployment (fresh application id, empty state) reading N participants × 20
 * events from the beginning, against a passthrough topology ({@code stream → to}, exactly-once)
 * over the same topic on the same broker, run before and after it; and the status JVM's resident
 * memory once it is through, which shows whether state lives in the bounded RocksDB stores or piles
 * up on the heap.
 */
final class StatusRebuild {

  static final int EVENTS_PER_PARTICIPANT = 20;
  static final double TARGET_RATIO = 0.5;
  static final long TARGET_RESIDENT_BYTES = 1L << 30;

  private final Path workDir;
  private final int participants;
  private final String heap;
  /** Kafka Streams threads of the status service and of the ceiling alike. */
  private final int streamThreads;
  private final Duration limit;

  /** @param limit how long each application may take (see {@link CatchUp}) */
  StatusRebuild(Path workDir, int participants, String heap, int streamThreads, Duration limit) {
    this.workDir = workDir;
    this.participants = participants;
    this.heap = heap;
    this.streamThreads = streamThreads;
    this.limit = limit;
  }

  List<Row> run() {
    SyntheticHistories histories = new SyntheticHistories("p", participants, EVENTS_PER_PARTICIPANT);
    System.err.printf("rebuild of %,d participants x %d events%n", participants, EVENTS_PER_PARTICIPANT);
    try (BenchBroker broker = BenchBroker.start(workDir.resolve("rebuild"))) {
      histories.load(broker, Topics.EVENTS.name());
      broker.createTopic(CeilingTopology.PASSTHROUGH_TOPIC);
      CatchUp.Rate before = passthrough(broker, "bench-passthrough-before");
      CatchUp.Rate status;
      ChildJvm.Memory memory;
      try (ChildJvm app = ChildJvm.status(broker, "bench-status-rebuild", heap, streamThreads)) {
        status = CatchUp.await(broker, app, "bench-status-rebuild", Topics.EVENTS.name(), limit);
        memory = app.memory();
      }
      System.err.printf("  status: %,.0f events/s in %.0f s, RSS %,d MiB%n", status.perSecond(),
          Timing.seconds(status.elapsed().toNanos()), memory.residentBytes() >> 20);
      CatchUp.Bracket passthrough = new CatchUp.Bracket(before, passthrough(broker, "bench-passthrough-after"));
      double ratio = status.perSecond() / passthrough.perSecond();
      String size = String.format("%,d participants × %d events", participants, EVENTS_PER_PARTICIPANT);
      return List.of(
          new Row("status rebuild, " + size, Row.rate(status.perSecond()) + status.partialNote(),
              passthrough.describe("passthrough, EOS"),
              Row.ratio(ratio), "≥ " + TARGET_RATIO, Row.Verdict.of(ratio >= TARGET_RATIO)),
          new Row(String.format("status RSS after %,d events (-Xmx%s; peak %s)", status.committed(), heap,
                  Row.mebibytes(memory.peakResidentBytes())),
              Row.mebibytes(memory.residentBytes()), Row.NONE, Row.NONE, "≤ 1,024 MiB after the whole rebuild",
              // memory after part of the rebuild says nothing about the end, where the target is
              status.complete() ? Row.Verdict.of(memory.residentBytes() <= TARGET_RESIDENT_BYTES) : Row.Verdict.NONE));
    }
  }

  /** One run of the passthrough ceiling, under a fresh application id. */
  private CatchUp.Rate passthrough(BenchBroker broker, String applicationId) {
    try (ChildJvm app = ChildJvm.ceiling(broker, CeilingTopology.Kind.PASSTHROUGH, applicationId, heap, streamThreads)) {
      CatchUp.Rate rate = CatchUp.await(broker, app, applicationId, Topics.EVENTS.name(), limit);
      System.err.printf("  passthrough: %,.0f events/s%n", rate.perSecond());
      return rate;
    }
  }
}
