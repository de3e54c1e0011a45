package no.followup.common.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Data keys and their wrapping by the master key: Tink's binary encrypted-keyset format, with the
 * participant and key id as associated data, so a wrapped key cannot be moved to another participant.
 */
final class DataKeyWrapping {

  private DataKeyWrapping() {}

  static KeysetHandle newDataKey() {
    try {
      return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not generate a data key", e);
    }
  }

  static Aead aead(KeysetHandle dataKey) {
    try {
      return dataKey.getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a data key without an AEAD", e);
    }
  }

  static byte[] wrap(KeysetHandle dataKey, Aead master, String participantId, String keyId) {
    try {
      return TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKey, master, associatedData(participantId, keyId));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not wrap a data key", e);
    }
  }

  /** The data key's AEAD; throws {@link GeneralSecurityException} when the master key or the binding does not match. */
  static Aead unwrap(byte[] wrapped, Aead master, String participantId, String keyId) throws GeneralSecurityException {
    return aead(TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, master, associatedData(participantId, keyId)));
  }

  static byte[] associatedData(String participantId, String keyId) {
    return ("followup-data-key|" + participantId + "|" + keyId).getBytes(StandardCharsets.UTF_8);
  }
}
