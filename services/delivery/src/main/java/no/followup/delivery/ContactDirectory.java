package no.followup.delivery;

import java.util.Optional;

/**
 * Where phone numbers come from: looked up by pseudonymous participantId at the moment of sending,
 * so no phone number ever travels on Kafka. Production plugs in the office's contact register;
 * {@link FileContactDirectory} reads a local file.
 */
public interface ContactDirectory {

  /** The participant's contact details, or empty when none are known. */
  Optional<Contact> find(String participantId);
}
