package no.followup.common.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class FoldHeadTest {

  private static final String TOPIC = "status-test-status-fold-changelog";

  private static FoldHead roundTrip(FoldHead head) {
    return FoldHead.SERDE.deserializer().deserialize(TOPIC, FoldHead.SERDE.serializer().serialize(TOPIC, head));
  }

  @Test
  void keepsTheStatusAndTheFoldApart() {
    FoldHead head = roundTrip(new FoldHead(new byte[] {1, 2, 3}, new byte[] {4, 5}));
    assertThat(head.status()).containsExactly(1, 2, 3);
    assertThat(head.fold()).containsExactly(4, 5);
  }

  @Test
  void anErasureMarkerHasNoStatusAndAnEmptyStatusStaysEmpty() {
    assertThat(roundTrip(new FoldHead(null, new byte[] {9})).status()).isNull();
    assertThat(roundTrip(new FoldHead(new byte[0], new byte[] {9})).status()).isEmpty();
  }

  @Test
  void aValueThatIsNotAHeadIsRefusedNamingTheStore() {
    byte[] tooLong = {0, 0, 0, 9, 1, 2};
    byte[] tooShort = {0, 1};
    byte[] negative = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE};
    for (byte[] value : new byte[][] {tooLong, tooShort, negative}) {
      assertThatThrownBy(() -> FoldHead.SERDE.deserializer().deserialize(TOPIC, value))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("status-fold");
    }
  }
}
