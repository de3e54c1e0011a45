package no.followup.registry.tools;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import no.followup.common.Topics;
import no.followup.registry.serde.AvroSerdeConfig;

/**
 * Which subjects each contract file is registered under: {@code <topic>-value} of the topic the
 * record is written to. The built-in table covers the files known here; a {@code subjects.properties}
 * ({@code File.avsc=subject[,subject...]}) beside the schema directory, or given explicitly,
 * adds entries or overrides them. Files without an entry are skipped with a warning.
 */
public final class SubjectMapping {

  /**
   * The built-in table: the records of the pipeline's public topics. Schemas of state stores and
   * repartition topics are internal to one application and left out.
   */
  public static final Map<String, List<String>> BUILT_IN = Map.of(
      "FollowUpEvent.avsc", valueOf(Topics.EVENTS),
      "ParticipantDataKey.avsc", valueOf(Topics.PARTICIPANT_KEYS),
      "ParticipantStatus.avsc", valueOf(Topics.PARTICIPANT_STATUS),
      "Tally.avsc", valueOf(Topics.TALLIES),
      "Reminder.avsc", valueOf(Topics.REMINDERS),
      "CoordinatorTask.avsc", valueOf(Topics.TASKS),
      "DeliveryReceipt.avsc", valueOf(Topics.DELIVERY_RECEIPTS),
      "DeliveryLedgerEntry.avsc", valueOf(Topics.DELIVERY_LEDGER));

  /** The file looked for beside a schema directory ({@code schemas/subjects.properties} for {@code schemas/avro}). */
  public static final String PROPERTIES_FILE = "subjects.properties";

  private SubjectMapping() {}

  private static List<String> valueOf(Topics.TopicSpec topic) {
    return List.of(AvroSerdeConfig.subject(topic.name(), false));
  }

  /** The built-in table, then each existing properties file in order (later entries win). */
  public static Map<String, List<String>> load(List<Path> propertiesFiles) {
    Map<String, List<String>> mapping = new LinkedHashMap<>(BUILT_IN);
    for (Path file : propertiesFiles) {
      if (file == null || !Files.isRegularFile(file)) {
        continue;
      }
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("could not read subject mapping " + file, e);
      }
      for (String name : properties.stringPropertyNames()) {
        List<String> subjects = Arrays.stream(properties.getProperty(name).split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).toList();
        mapping.put(name.trim(), subjects);
      }
    }
    return mapping;
  }
}
