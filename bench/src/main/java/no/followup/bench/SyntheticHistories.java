package no.followup.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import no.followup.events.Actor;
import no.followup.events.ContactChannel;
import no.followup.events.ContactMade;
import no.followup.events.FollowUpEvent;
import no.followup.events.FunctionScoreRecorded;
import no.followup.events.HomeVisitCompleted;
import no.followup.events.MappingCompleted;
import no.followup.events.MappingInstrument;
import no.followup.events.Measure;
import no.followup.events.MeasureEnded;
import no.followup.events.MeasureStarted;
import no.followup.events.MeetingAttended;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingMissed;
import no.followup.events.MeetingScheduled;
import no.followup.events.ParticipantEnrolled;
import no.followup.events.ServiceStarted;
import no.followup.events.StaffRole;
import no.followup.events.SupportService;
import no.followup.events.TargetGroup;
import no.followup.registry.serde.SpecificAvroSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Follow-up histories as the project records them: each participant is enrolled, mapped, then
 * meets, misses, is reached, scores COOP/WONCA, gets a job specialist, starts and ends a measure,
 * over and over, one event a day. Deterministic per participant and index, so no history needs to
 * be held in memory, and valid for the intake (ids, office numbers, slugs, past timestamps), spread
 * over 20 offices, 100 coordinators, 20 job specialists and 5 cohorts, so the tallies see realistic
 * fan-in.
 */
final class SyntheticHistories {

  private static final Instant FIRST_DAY = Instant.parse("2024-01-08T08:30:00Z");
  private static final TargetGroup[] GROUPS = TargetGroup.values();

  private final String prefix;
  private final int participants;
  private final int eventsPerParticipant;
  /** Keeps eventIds unique across histories made in one run. */
  private final long idSalt = ThreadLocalRandom.current().nextLong();

  SyntheticHistories(String prefix, int participants, int eventsPerParticipant) {
    this.prefix = prefix;
    this.participants = participants;
    this.eventsPerParticipant = eventsPerParticipant;
  }

  int participants() {
    return participants;
  }

  int eventsPerParticipant() {
    return eventsPerParticipant;
  }

  long size() {
    return (long) participants * eventsPerParticipant;
  }

  String participantId(int participant) {
    return prefix + "-" + participant;
  }

  /**
   * The {@code index}-th event of the history: live traffic order is every participant's event
   * {@code index} before anyone's {@code index + 1}, as {@link #event(long)} gives them.
   */
  FollowUpEvent event(int participant, int index) {
    Instant at = FIRST_DAY.plus(Duration.ofDays(index)).plusSeconds(participant % 28_800);
    String meeting = "m-" + index;
    String previousMeeting = "m-" + (index - 1);
    Object payload = switch (index) {
      case 0 -> new ParticipantEnrolled(List.of(GROUPS[participant % GROUPS.length]), coordinator(participant), null);
      case 1 -> new MappingCompleted(MappingInstrument.INFLOW24);
      default -> switch (index % 10) {
        case 2, 6 -> new MeetingScheduled(meeting, at.plus(Duration.ofDays(1)), MeetingKind.OFFICE);
        case 3 -> new MeetingAttended(previousMeeting);
        case 7 -> new MeetingMissed(previousMeeting);
        case 4 -> new ContactMade(ContactChannel.PHONE, true);
        case 0 -> new ContactMade(ContactChannel.SMS, false);
        case 5 -> new FunctionScoreRecorded(3, 3, 2 + index % 3, 3, 3, 2, 3);
        case 8 -> index == 8
            ? new ServiceStarted(SupportService.JOB_SUPPORT_IPS, "s-ips-" + participant % 20)
            : new HomeVisitCompleted(null);
        default -> (index / 10) % 2 == 0 ? new MeasureStarted(Measure.WORK_TRAINING) : new MeasureEnded(Measure.WORK_TRAINING);
      };
    };
    return FollowUpEvent.newBuilder()
        .setEventId(new UUID(idSalt + participant, index))
        .setParticipantId(participantId(participant))
        .setOfficeId(String.valueOf(3400 + participant % 20))
        .setActor(new Actor(StaffRole.ACTIVITY_COORDINATOR, coordinator(participant)))
        .setOccurredAt(at)
        .setRecordedAt(at.plus(Duration.ofMinutes(10)))
        .setCohortId("bench-" + participant % 5)
        .setPayload(payload)
        .build();
  }

  /** The {@code n}-th event in live traffic order (see {@link #event(int, int)}). */
  FollowUpEvent event(long n) {
    return event((int) (n % participants), (int) (n / participants));
  }

  private static String coordinator(int participant) {
    return "s-c" + participant % 100;
  }

  /**
   * Writes the whole history to {@code topic}, keyed by participantId as the intake writes it,
   * with an idempotent acks=all producer, as fast as the broker takes it.
   */
  void load(BenchBroker broker, String topic) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        "schema.registry.url", broker.registryUrl());
    SpecificAvroSerializer<FollowUpEvent> values = new SpecificAvroSerializer<>();
    values.configure(config, false);
    long total = size();
    long reportEvery = Math.max(1_000_000, total / 10);
    long started = System.nanoTime();
    // a callback cannot throw to the caller (it runs on the producer's I/O thread): it keeps the first failure
    AtomicReference<Exception> failed = new AtomicReference<>();
    try (KafkaProducer<String, FollowUpEvent> producer = new KafkaProducer<>(config, new StringSerializer(), values)) {
      for (long n = 0; n < total && failed.get() == null; n++) {
        FollowUpEvent event = event(n);
        producer.send(new ProducerRecord<>(topic, event.getParticipantId(), event), (metadata, failure) -> {
          if (failure != null) {
            failed.compareAndSet(null, failure);
          }
        });
        if ((n + 1) % reportEvery == 0) {
          System.err.printf("  loaded %,d of %,d events%n", n + 1, total);
        }
      }
      producer.flush();
    }
    if (failed.get() != null) {
      throw new IllegalStateException("pre-loading failed: " + failed.get().getMessage(), failed.get());
    }
    System.err.printf("  loaded %,d events (%d participants x %d) in %.1f s%n", total, participants, eventsPerParticipant,
        Timing.seconds(System.nanoTime() - started));
  }
}
