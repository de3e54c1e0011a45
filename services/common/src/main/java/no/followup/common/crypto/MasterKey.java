package no.followup.common.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The master key that wraps every participant's data key: a Tink keyset (AEAD) in Tink's JSON
 * format, from the environment variable {@value #VARIABLE} (the one place secrets come from), or in
 * the embedded local stack from the system property {@value #PROPERTY}. Create one with
 * {@code tinkey create-keyset --key-template AES256_GCM --out-format json}, or take it from a KMS
 * (Tink's KMS clients give the same {@link Aead}). Without one, payloads are not sealed.
 */
public final class MasterKey {

  public static final String VARIABLE = "FOLLOWUP_MASTER_KEY";
  public static final String PROPERTY = "followup.master.key";
  /** Largest master-key file read: a Tink keyset in JSON is under 1 KiB. */
  public static final int MAX_FILE_BYTES = 64 * 1024;

  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private MasterKey() {}

  /** The configured master key, or empty when none is configured. */
  public static Optional<Aead> fromConfiguration() {
    return fromConfiguration(System::getenv);
  }

  static Optional<Aead> fromConfiguration(Function<String, String> environment) {
    String json = environment.apply(VARIABLE);
    if (json == null || json.isBlank()) {
      json = System.getProperty(PROPERTY);
    }
    if (json == null || json.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(parse(json));
  }

  /** The AEAD of a keyset in Tink's JSON format; the error names the setting, never its value. */
  public static Aead parse(String json) {
    try {
      return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get())
          .getPrimitive(RegistryConfiguration.get(), Aead.class);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(VARIABLE + " is not a Tink AEAD keyset in JSON format", e);
    }
  }

  /** A new master key in Tink's JSON format (the local stack makes one at its first start). */
  public static String generate() {
    try {
      return TinkJsonProtoKeysetFormat.serializeKeyset(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
          InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not generate a master key", e);
    }
  }
}
