package no.followup.common.crypto;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Data keys kept in memory, wrapped by a master key as on the key topic: for tests without a broker. */
public final class InMemoryDataKeys implements DataKeys {

  private final Aead master = MasterKey.parse(MasterKey.generate());
  private final Map<String, byte[]> wrapped = new HashMap<>();
  private final Set<String> erased = new HashSet<>();
  private int issued;

  @Override
  public Optional<Aead> find(String participantId, String keyId) {
    byte[] key = wrapped.get(participantId + "|" + keyId);
    if (key == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(DataKeyWrapping.unwrap(key, master, participantId, keyId));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  @Override
  public IssuedKey keyFor(String participantId) {
    for (String id : wrapped.keySet()) {
      if (id.startsWith(participantId + "|")) {
        String keyId = id.substring(participantId.length() + 1);
        return new IssuedKey(keyId, find(participantId, keyId).orElseThrow());
      }
    }
    String keyId = "k" + (++issued);
    var dataKey = DataKeyWrapping.newDataKey();
    wrapped.put(participantId + "|" + keyId, DataKeyWrapping.wrap(dataKey, master, participantId, keyId));
    return new IssuedKey(keyId, DataKeyWrapping.aead(dataKey));
  }

  @Override
  public void erase(String participantId) {
    wrapped.keySet().removeIf(id -> id.startsWith(participantId + "|"));
    erased.add(participantId);
  }

  @Override
  public Set<String> erasedAmong(Collection<String> participantIds) {
    return participantIds.stream().filter(erased::contains).collect(Collectors.toUnmodifiableSet());
  }

  /** Moves a wrapped key to another participant, as someone with write access to the topic could. */
  public void copyKey(String fromParticipant, String toParticipant, String keyId) {
    wrapped.put(toParticipant + "|" + keyId, wrapped.get(fromParticipant + "|" + keyId));
  }
}
