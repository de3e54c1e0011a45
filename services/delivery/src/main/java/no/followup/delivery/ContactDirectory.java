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

  /** What {@link #erase} did. */
  enum Erasure {
    /** The entry was removed. */
    REMOVED,
    /** There was no entry. */
    NOT_LISTED,
    /** The entry lives in a source this service cannot change: the operator must remove it there. */
    MANAGED_OUTSIDE
  }

  /**
   * Removes the participant's entry (erasure). A directory this service only reads (the office's
   * contact register) answers {@link Erasure#MANAGED_OUTSIDE}, the default.
   */
  default Erasure erase(String participantId) {
    return Erasure.MANAGED_OUTSIDE;
  }
}
