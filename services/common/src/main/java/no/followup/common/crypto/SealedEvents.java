package no.followup.common.crypto;

import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import no.followup.common.kafka.KafkaConnection;
import no.followup.events.FollowUpEvent;
import no.followup.registry.serde.SpecificAvroSerde;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the consumers of the events topic read sealed payloads: the events serde unseals as it
 * deserializes, when the serde configuration carries an {@link EventSealer} under
 * {@value #SEALER_CONFIG}. Topologies take their events serde from {@link #serde}; an application
 * with a master key puts the sealer in with {@link #enableUnsealing}.
 */
public final class SealedEvents {

  private static final Logger log = LoggerFactory.getLogger(SealedEvents.class);

  /** The serde-configuration entry holding the {@link EventSealer} that unseals. */
  public static final String SEALER_CONFIG = "followup.event.sealer";

  private SealedEvents() {}

  /** The events serde: plain Avro, unsealing on the way in when {@code serdeConfig} carries a sealer. */
  public static Serde<FollowUpEvent> serde(Map<String, ?> serdeConfig) {
    SpecificAvroSerde<FollowUpEvent> plain = plain(serdeConfig);
    if (!(serdeConfig.get(SEALER_CONFIG) instanceof EventSealer sealer)) {
      return plain;
    }
    return Serdes.serdeFrom(plain.serializer(), unsealing(plain.deserializer(), sealer::unseal));
  }

  /**
   * For events a service kept as they came (the status service's rows), read again: unsealing as
   * {@link #serde} does, except that a payload that no longer opens is left sealed rather than an
   * error. The event was accepted when it came; failing on it now would fail the new event whose
   * refold reads it, or every answer that reads the participant's rows. Counted in the log.
   */
  public static Deserializer<FollowUpEvent> keptRows(Map<String, ?> serdeConfig) {
    SpecificAvroSerde<FollowUpEvent> plain = plain(serdeConfig);
    if (!(serdeConfig.get(SEALER_CONFIG) instanceof EventSealer sealer)) {
      return plain.deserializer();
    }
    return unsealing(plain.deserializer(), event -> {
      try {
        return sealer.unseal(event);
      } catch (UnopenablePayloadException stillSealed) {
        log.warn("A kept event's sealed payload no longer opens; read as sealed: {}", stillSealed.getMessage());
        return event;
      }
    });
  }

  private static SpecificAvroSerde<FollowUpEvent> plain(Map<String, ?> serdeConfig) {
    SpecificAvroSerde<FollowUpEvent> plain = new SpecificAvroSerde<>(FollowUpEvent.class);
    plain.configure(serdeConfig, false);
    return plain;
  }

  private static Deserializer<FollowUpEvent> unsealing(Deserializer<FollowUpEvent> inner, UnaryOperator<FollowUpEvent> unseal) {
    return new Deserializer<>() {
      @Override
      public FollowUpEvent deserialize(String topic, byte[] data) {
        FollowUpEvent event = inner.deserialize(topic, data);
        return event == null ? null : unseal.apply(event);
      }

      @Override
      public FollowUpEvent deserialize(String topic, Headers headers, byte[] data) {
        FollowUpEvent event = inner.deserialize(topic, headers, data);
        return event == null ? null : unseal.apply(event);
      }
    };
  }

  /**
   * With a master key configured ({@link MasterKey}): reads the data keys and puts the sealer into
   * {@code serdeConfig}. Returns the keys to close with the application; empty without a master key.
   */
  public static Optional<KafkaDataKeys> enableUnsealing(KafkaConnection kafka, Map<String, Object> serdeConfig) {
    return MasterKey.fromConfiguration().map(master -> {
      KafkaDataKeys keys = KafkaDataKeys.reader(kafka, serdeConfig, master);
      serdeConfig.put(SEALER_CONFIG, new EventSealer(keys));
      return keys;
    }).or(() -> {
      log.warn("No master key ({}): sealed payloads are not read, and none are written", MasterKey.VARIABLE);
      return Optional.empty();
    });
  }
}
