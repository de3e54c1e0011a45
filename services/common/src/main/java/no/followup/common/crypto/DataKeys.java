package no.followup.common.crypto;

import com.google.crypto.tink.Aead;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/** The participants' data keys (crypto-shredding): issued by the intake, looked up by consumers. */
public interface DataKeys {

  /** The data key that sealed a payload, or empty when it is gone (the participant was erased). */
  Optional<Aead> find(String participantId, String keyId);

  /** The key to seal the participant's next payload with: an existing one, or a new one made durable first. */
  IssuedKey keyFor(String participantId);

  /** Deletes every data key of the participant and marks them erased; no key is issued for them again. */
  void erase(String participantId);

  /**
   * Those of {@code participantIds} who were erased, as the keys say at most a moment ago (an
   * erasure by another instance may take that long to be seen).
   */
  Set<String> erasedAmong(Collection<String> participantIds);

  /**
   * A key to seal with. For an erased participant it is a throwaway key that is never stored: what it
   * seals can never be read.
   */
  record IssuedKey(String keyId, Aead aead) {}
}
