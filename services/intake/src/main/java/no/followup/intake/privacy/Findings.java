package no.followup.intake.privacy;

import java.util.ArrayList;
import java.util.List;

/**
 * What a privacy scan found: findings (the participant's health data readable, or a record derived
 * from them still live: erasure is not complete) and notes (what remains by design, and until when).
 * Neither ever holds a value: only where, and what kind.
 */
public final class Findings {

  /** One place and what is there. */
  public record Item(String where, String what) {}

  private final List<Item> findings = new ArrayList<>();
  private final List<Item> notes = new ArrayList<>();

  void found(String where, String what) {
    findings.add(new Item(where, what));
  }

  void note(String where, String what) {
    notes.add(new Item(where, what));
  }

  public List<Item> findings() {
    return List.copyOf(findings);
  }

  public List<Item> notes() {
    return List.copyOf(notes);
  }

  public boolean clean() {
    return findings.isEmpty();
  }

  static boolean mentions(byte[] bytes, byte[] id) {
    if (bytes == null || bytes.length < id.length) {
      return false;
    }
    outer:
    for (int i = 0; i <= bytes.length - id.length; i++) {
      for (int j = 0; j < id.length; j++) {
        if (bytes[i + j] != id[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
