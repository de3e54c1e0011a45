package no.followup.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives every Kafka Streams state store meter the same tag keys: {@code store} (the store's name)
 * and {@code store.type} ({@code rocksdb-state}, {@code rocksdb-window-state}, {@code in-memory-state}, ...).
 *
 * <p>Why: Kafka Streams names a store's id tag after the store's kind ({@code rocksdb-state-id},
 * {@code rocksdb-window-state-id}, {@code in-memory-state-id}, ...), so one metric such as
 * {@code kafka.stream.state.put.rate} comes with a different tag key for each kind. Prometheus needs
 * one set of tag keys per metric name, so Micrometer registered the first kind it saw and dropped
 * every other (with one warning): the window stores of reminders and the in-memory stores of status
 * had no store metrics at all. Micrometer's {@code MeterFilter.renameTag} renames one key of known
 * name; the kinds are Kafka's to add to, so this maps any store id tag.
 */
final class StateStoreTags implements MeterFilter {

  static final String STORE = "store";
  static final String STORE_TYPE = "store.type";
  private static final String STATE_METERS = "kafka.stream.state.";
  private static final String ID_SUFFIX = ".id";

  @Override
  public Meter.Id map(Meter.Id id) {
    if (!id.getName().startsWith(STATE_METERS)) {
      return id;
    }
    for (Tag tag : id.getTagsAsIterable()) {
      String key = tag.getKey();
      // the store's tag, not task.id or thread.id: Kafka's store kinds all name a state
      // (rocksdb-state, in-memory-window-state, rocksdb-session-state, in-memory-lru-state, ...)
      if (key.endsWith(ID_SUFFIX) && key.contains("state")) {
        List<Tag> tags = new ArrayList<>();
        for (Tag other : id.getTagsAsIterable()) {
          if (other != tag) {
            tags.add(other);
          }
        }
        tags.add(Tag.of(STORE, tag.getValue()));
        // Kafka's own name for the kind ("rocksdb-window-state"), which Micrometer wrote with dots
        tags.add(Tag.of(STORE_TYPE, key.substring(0, key.length() - ID_SUFFIX.length()).replace('.', '-')));
        return id.replaceTags(tags);
      }
    }
    return id;
  }
}
