package no.followup.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * What the registry wire format costs every service on every record: our serde (schema id cached)
 * against plain Avro binary, and a serializer with a warm schema-id cache against one that asks the
 * registry over HTTP each time. In-process; the registry is the local one on its own broker.
 */
final class SerdeCost {

  private final Path workDir;
  private final int operations;
  private final int registryLookups;

  SerdeCost(Path workDir, int operations, int registryLookups) {
    this.workDir = workDir;
    this.operations = operations;
    this.registryLookups = registryLookups;
  }

  List<Row> run() {
    System.err.println("serde");
    FollowUpEvent event = new SyntheticHistories("p-serde", 1, 3).event(0, 2);
    try (BenchBroker broker = BenchBroker.start(workDir.resolve("serde"))) {
      Map<String, Object> config = Map.of("schema.registry.url", broker.registryUrl());
      return List.of(roundTrip(config, event), schemaIdCache(config, event));
    }
  }

  private Row roundTrip(Map<String, Object> config, FollowUpEvent event) {
    SpecificAvroSerializer<FollowUpEvent> serializer = new SpecificAvroSerializer<>();
    serializer.configure(config, false);
    SpecificAvroDeserializer<FollowUpEvent> deserializer = new SpecificAvroDeserializer<>(FollowUpEvent.class);
    deserializer.configure(config, false);
    SpecificDatumWriter<FollowUpEvent> writer = new SpecificDatumWriter<>(FollowUpEvent.getClassSchema(),
        new FollowUpEvent().getSpecificData());
    SpecificDatumReader<FollowUpEvent> reader = new SpecificDatumReader<>(FollowUpEvent.getClassSchema(),
        FollowUpEvent.getClassSchema(), new FollowUpEvent().getSpecificData());
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    BinaryEncoder encoder = null;
    BinaryDecoder decoder = null;
    long ours = 0;
    long plain = 0;
    for (int round = 0; round < 2; round++) { // the first round warms the JIT; the second is measured
      long start = System.nanoTime();
      for (int i = 0; i < operations; i++) {
        byte[] bytes = serializer.serialize(Topics.EVENTS.name(), event);
        if (deserializer.deserialize(Topics.EVENTS.name(), bytes) == null) {
          throw new IllegalStateException("round trip lost the record");
        }
      }
      ours = System.nanoTime() - start;
      start = System.nanoTime();
      try {
        for (int i = 0; i < operations; i++) {
          buffer.reset();
          encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
          writer.write(event, encoder);
          encoder.flush();
          decoder = DecoderFactory.get().binaryDecoder(buffer.toByteArray(), decoder);
          if (reader.read(null, decoder) == null) {
            throw new IllegalStateException("round trip lost the record");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      plain = System.nanoTime() - start;
    }
    return new Row("serde round trip, ns/op (registry wire format, schema id cached)", Row.number(ours / (double) operations),
        Row.number(plain / (double) operations) + " (plain Avro binary)", Row.number(ours / (double) plain), Row.NONE, Row.Verdict.NONE);
  }

  private Row schemaIdCache(Map<String, Object> config, FollowUpEvent event) {
    SpecificAvroSerializer<FollowUpEvent> warm = new SpecificAvroSerializer<>();
    warm.configure(config, false);
    warm.serialize(Topics.EVENTS.name(), event);
    long start = System.nanoTime();
    for (int i = 0; i < registryLookups; i++) {
      // a fresh serializer has a fresh client and an empty cache: one registry round trip per record
      SpecificAvroSerializer<FollowUpEvent> cold = new SpecificAvroSerializer<>();
      cold.configure(config, false);
      cold.serialize(Topics.EVENTS.name(), event);
    }
    double coldNanos = (System.nanoTime() - start) / (double) registryLookups;
    int warmOperations = registryLookups * 100;
    start = System.nanoTime();
    for (int i = 0; i < warmOperations; i++) {
      warm.serialize(Topics.EVENTS.name(), event);
    }
    double warmNanos = (System.nanoTime() - start) / (double) warmOperations;
    return new Row("serialize, µs/op (registry lookup every time)", Row.number(coldNanos / 1000),
        Row.number(warmNanos / 1000) + " (schema id cached)", Row.number(coldNanos / warmNanos), Row.NONE, Row.Verdict.NONE);
  }
}
