package no.followup.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import no.followup.events.SealedPayload;
import org.junit.jupiter.api.Test;

/** The events serde refuses a payload that does not open; rows a service already kept are read sealed. */
class SealedEventsTest {

  @Test
  void anUnopenablePayloadFailsOnTheWayInButAKeptRowIsReadSealed() {
    EventSealer elsewhere = new EventSealer(new InMemoryDataKeys()); // keys this service never sees
    Map<String, Object> config = Map.of("schema.registry.url", "mock://sealed-events-test",
        SealedEvents.SEALER_CONFIG, new EventSealer(new InMemoryDataKeys()));
    var serde = SealedEvents.serde(config);
    FollowUpEvent sealed = elsewhere.seal(EventSealerTest.event("p-1", EventSealerTest.scores()));
    byte[] encoded = serde.serializer().serialize(Topics.EVENTS.name(), sealed);

    assertThatThrownBy(() -> serde.deserializer().deserialize(Topics.EVENTS.name(), encoded))
        .isInstanceOf(UnopenablePayloadException.class);
    assertThat(SealedEvents.keptRows(config).deserialize(Topics.EVENTS.name(), encoded).getPayload())
        .isInstanceOf(SealedPayload.class);
  }

  @Test
  void aKeptRowThatOpensIsReadOpen() {
    InMemoryDataKeys keys = new InMemoryDataKeys();
    Map<String, Object> config = Map.of("schema.registry.url", "mock://sealed-events-test",
        SealedEvents.SEALER_CONFIG, new EventSealer(keys));
    FollowUpEvent plain = EventSealerTest.event("p-1", EventSealerTest.scores());
    byte[] encoded = SealedEvents.serde(config).serializer().serialize(Topics.EVENTS.name(), new EventSealer(keys).seal(plain));

    assertThat(SealedEvents.keptRows(config).deserialize(Topics.EVENTS.name(), encoded)).isEqualTo(plain);
  }
}
