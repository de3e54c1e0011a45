package no.followup.delivery;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.reminders.CoordinatorTask;
import no.followup.reminders.DeliveryReceipt;
import no.followup.registry.serde.SpecificAvroSerializer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Where one reminder's output goes: the delivery's Kafka transaction under way, with the ledger
 * entries in the ledger partition of the reminder's own partition. What must wait for the commit
 * (the in-memory ledger, the files of an erasure) is queued on {@code afterCommit}, which the caller
 * runs once the transaction committed and clears when it is rolled back.
 */
final class TransactionOutput implements ReminderDelivery.Output {

  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final DeliveryLedger ledger;
  private final LedgerTopic ledgerTopic;
  private final SpecificAvroSerializer<CoordinatorTask> tasks;
  private final SpecificAvroSerializer<DeliveryReceipt> receipts;
  private final List<Runnable> afterCommit;
  private final Runnable runAfterCommit;
  private final TopicPartition partition;
  private final long offset;

  /**
   * @param partition the reminder's partition, null outside the handling of a reminder (no ledger entries then)
   * @param offset the reminder's offset
   */
  TransactionOutput(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer, DeliveryLedger ledger,
      LedgerTopic ledgerTopic, SpecificAvroSerializer<CoordinatorTask> tasks, SpecificAvroSerializer<DeliveryReceipt> receipts,
      List<Runnable> afterCommit, Runnable runAfterCommit, TopicPartition partition, long offset) {
    this.producer = producer;
    this.consumer = consumer;
    this.ledger = ledger;
    this.ledgerTopic = ledgerTopic;
    this.tasks = tasks;
    this.receipts = receipts;
    this.afterCommit = afterCommit;
    this.runAfterCommit = runAfterCommit;
    this.partition = partition;
    this.offset = offset;
  }

  @Override
  public void ledger(DeliveryLedger.Entry entry) {
    int ledgerPartition = ledgerPartition();
    producer.send(ledgerTopic.record(ledgerPartition, entry));
    afterCommit.add(() -> ledger.put(ledgerPartition, entry));
  }

  @Override
  public void ledgerErased(String reminderId) {
    producer.send(ledgerTopic.tombstone(ledgerPartition(), reminderId));
    afterCommit.add(() -> ledger.remove(reminderId));
  }

  @Override
  public void commitBeforeGatewayCall() {
    ledgerPartition();
    // the reminder's own offset, not the next: after a crash it is read again and finds its ATTEMPTING
    // entry; and the group generation that goes with the offsets fails this commit for an instance
    // that no longer owns the partition
    producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(offset)), consumer.groupMetadata());
    producer.commitTransaction();
    runAfterCommit.run();
    producer.beginTransaction();
  }

  private int ledgerPartition() {
    if (partition == null) {
      throw new IllegalStateException("no ledger entry outside the handling of a reminder");
    }
    return partition.partition();
  }

  @Override
  public void task(String taskId, CoordinatorTask task) {
    byte[] value = task == null ? null : tasks.serialize(Topics.TASKS.name(), task);
    producer.send(new ProducerRecord<>(Topics.TASKS.name(), utf8(taskId), value));
  }

  @Override
  public void receipt(DeliveryReceipt receipt) {
    String key = receipt.getReminderId().toString();
    producer.send(new ProducerRecord<>(Topics.DELIVERY_RECEIPTS.name(), utf8(key),
        receipts.serialize(Topics.DELIVERY_RECEIPTS.name(), receipt)));
  }

  @Override
  public void receiptErased(String reminderId) {
    producer.send(new ProducerRecord<>(Topics.DELIVERY_RECEIPTS.name(), utf8(reminderId), null));
  }

  @Override
  public void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
