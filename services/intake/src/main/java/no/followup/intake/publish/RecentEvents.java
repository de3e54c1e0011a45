package no.followup.intake.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import no.followup.events.FollowUpEvent;

/**
 * The eventIds this instance recently got acknowledged, with a fingerprint of their content, so a
 * resent event is answered 202 without writing it a second time. This is an optimisation with a
 * bounded memory, not the guarantee: every consumer deduplicates by eventId (resends after a
 * restart, through another instance or after a 503 do reach the topic again).
 *
 * <p>The fingerprint leaves out recordedAt, which defaults to the time of receipt and so differs
 * between two sends of the same event.
 */
public final class RecentEvents {

  /** How an event relates to what was accepted before. */
  public enum Seen { NEW, SAME, CONFLICTING }

  private final Map<UUID, byte[]> fingerprints;

  public RecentEvents(int capacity) {
    this.fingerprints = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<UUID, byte[]> eldest) {
        return size() > capacity;
      }
    };
  }

  public synchronized Seen check(FollowUpEvent event) {
    byte[] known = fingerprints.get(event.getEventId());
    if (known == null) {
      return Seen.NEW;
    }
    return Arrays.equals(known, fingerprint(event)) ? Seen.SAME : Seen.CONFLICTING;
  }

  public synchronized void remember(FollowUpEvent event) {
    fingerprints.put(event.getEventId(), fingerprint(event));
  }

  /** True when both are the same event, apart from when it was recorded. */
  public static boolean sameContent(FollowUpEvent a, FollowUpEvent b) {
    return Arrays.equals(fingerprint(a), fingerprint(b));
  }

  static byte[] fingerprint(FollowUpEvent event) {
    try {
      ByteBuffer bytes = FollowUpEvent.newBuilder(event).setRecordedAt(Instant.EPOCH).build().toByteBuffer();
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes);
      return digest.digest();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
