package no.followup.common.crypto;

import java.util.Map;
import java.util.Optional;
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
    SpecificAvroSerde<FollowUpEvent> plain = new SpecificAvroSerde<>(FollowUpEvent.class);
    plain.configure(serdeConfig, false);
    if (!(serdeConfig.get(SEALER_CONFIG) instanceof EventSealer sealer)) {
      return plain;
    }
    Deserializer<FollowUpEvent> inner = plain.deserializer();
    Deserializer<FollowUpEvent> unsealing = new Deserializer<>() {
      @Override
      public FollowUpEvent deserialize(String topic, byte[] data) {
        FollowUpEvent event = inner.deserialize(topic, data);
        return event == null ? null : sealer.unseal(event);
      }

      @Override
      public FollowUpEvent deserialize(String topic, Headers headers, byte[] data) {
        FollowUpEvent event = inner.deserialize(topic, headers, data);
        return event == null ? null : sealer.unseal(event);
      }
    };
    return Serdes.serdeFrom(plain.serializer(), unsealing);
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
