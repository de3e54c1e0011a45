package no.followup.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import no.followup.registry.SchemaRegistryException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which failures of a reminder's transaction skip the reminder to dead letters, and which are retried. */
class DeliveryAppTest {

  /** How a producer reports a send that failed once the transaction is committed. */
  static KafkaException inErrorState(RuntimeException sendFailure) {
    return new KafkaException("Cannot execute transactional method because we are in an error state", sendFailure);
  }

  @Test
  void aRefusalOfTheReminderOwnOutputIsFoundBehindTheCommitsError() {
    RecordTooLargeException tooLarge = new RecordTooLargeException("The message is 1048700 bytes when serialized");
    InvalidRecordException invalid = new InvalidRecordException("Compacted topic cannot accept message without key");
    SerializationException unserializable = new SerializationException("Could not write a CoordinatorTask");

    assertThat(DeliveryApp.unwritableOutput(inErrorState(tooLarge))).containsSame(tooLarge);
    assertThat(DeliveryApp.unwritableOutput(tooLarge)).containsSame(tooLarge);
    assertThat(DeliveryApp.unwritableOutput(inErrorState(invalid))).containsSame(invalid);
    assertThat(DeliveryApp.unwritableOutput(unserializable)).containsSame(unserializable);
  }

  @Test
  void brokersNetworkAndRegistryTroubleIsRetried() {
    SerializationException registryDown = new SerializationException("Could not register a schema",
        SchemaRegistryException.unreachable("registering CoordinatorTask", new java.net.ConnectException()));

    assertThat(DeliveryApp.unwritableOutput(registryDown)).isEmpty();
    assertThat(DeliveryApp.unwritableOutput(inErrorState(new NotEnoughReplicasException("too few in sync")))).isEmpty();
    assertThat(DeliveryApp.unwritableOutput(new TimeoutException("no answer in time"))).isEmpty();
    assertThat(DeliveryApp.unwritableOutput(new KafkaException("broker gone"))).isEmpty();
  }

  /** A release whose output schemas the registry does not hold would otherwise skip every reminder. */
  @Test
  void anOutputSchemaTheRegistryDoesNotHoldIsRetriedNotSkipped() {
    SerializationException notRegistered = new SerializationException("Schema CoordinatorTask is not registered",
        new SchemaRegistryException(404, 40403, "Schema not found"));
    SerializationException incompatible = new SerializationException("Schema DeliveryReceipt is incompatible",
        SchemaRegistryException.incompatible("READER_FIELD_MISSING_DEFAULT_VALUE"));

    assertThat(DeliveryApp.unwritableOutput(inErrorState(notRegistered))).isEmpty();
    assertThat(DeliveryApp.unwritableOutput(incompatible)).isEmpty();
  }
}
