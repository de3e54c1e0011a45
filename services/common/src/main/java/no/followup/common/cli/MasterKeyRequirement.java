package no.followup.common.cli;

import no.followup.common.crypto.MasterKey;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Fails closed: outside a local setup a service that seals or reads health payloads does not start
 * without the master key ({@link MasterKey}). A deployment that forgot it would otherwise run and be
 * wrong without a word: the intake would write health data unsealed (crypto-shredding would not
 * hold), and a reader would take every sealed enrolment and exit as missing.
 */
public final class MasterKeyRequirement {

  private MasterKeyRequirement() {}

  /**
   * @param localSetup a local or test setup, which may run without the key
   * @param keyConfigured whether {@link MasterKey#fromConfiguration()} finds one
   * @param withoutTheKey what the service would get wrong, completing "outside a local setup the ..."
   */
  public static void check(CommandLine cli, boolean localSetup, boolean keyConfigured, String withoutTheKey) {
    if (!localSetup && !keyConfigured) {
      throw new ParameterException(cli, MasterKey.VARIABLE + " is not set: outside a local setup " + withoutTheKey
          + " (a Tink AEAD keyset in JSON, e.g. from `tinkey create-keyset --key-template AES256_GCM --out-format json`;"
          + " see docs/privacy.md)");
    }
  }
}
