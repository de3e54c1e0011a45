package no.followup.intake.privacy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import no.followup.common.crypto.EventSealer;
import no.followup.common.crypto.KafkaDataKeys;
import no.followup.common.crypto.MasterKey;
import no.followup.common.kafka.KafkaConnection;
import no.followup.registry.serde.AvroSerdeConfig;

/**
 * Where does anything of one participant remain? Scans every pipeline topic and changelog
 * ({@link TopicScan}), the services' data directories ({@link LocalFilesScan}) and the dashboard's
 * participant views ({@link DashboardScan}). After an erasure, and once the erasure deadline has
 * passed, it should find nothing: {@link Findings#clean()}. Its findings name places, never values.
 *
 * @param masterKey the master key (Tink JSON keyset), to check that sealed payloads no longer open;
 *     without it they are noted, not checked
 * @param dashboard the dashboard's address and a token that sees every row; null: not scanned
 */
public record PrivacyScan(KafkaConnection kafka, String schemaRegistryUrl, Optional<String> masterKey, List<Path> dataDirs,
    URI dashboard, String dashboardToken) {

  public PrivacyScan {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    Objects.requireNonNull(masterKey, "masterKey");
    dataDirs = List.copyOf(dataDirs);
  }

  public Findings scan(String participantId) {
    if (participantId == null || participantId.isBlank()) {
      throw new IllegalArgumentException("participantId is required");
    }
    Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl,
        AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
    Findings out = new Findings();
    Optional<KafkaDataKeys> keys = masterKey.map(json -> KafkaDataKeys.reader(kafka, serde, MasterKey.parse(json)));
    try {
      new TopicScan(kafka, serde, keys.map(EventSealer::new)).scan(participantId, out);
    } finally {
      keys.ifPresent(KafkaDataKeys::close);
    }
    new LocalFilesScan(dataDirs).scan(participantId, out);
    if (dashboard != null) {
      new DashboardScan(dashboard, dashboardToken).scan(participantId, out);
    }
    return out;
  }
}
