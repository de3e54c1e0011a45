package no.followup.status.rules;

/**
 * Counter names made of a prefix and an enum value's name ({@code situation.IN_WORK}), made once
 * per value: the count works out every changed participant's counters twice, and concatenating
 * and hashing a fresh name for each was a visible share of that work.
 */
final class EnumCounterNames<E extends Enum<E>> {

  private final String[] names;

  EnumCounterNames(String prefix, Class<E> type) {
    E[] values = type.getEnumConstants();
    names = new String[values.length];
    for (E value : values) {
      names[value.ordinal()] = prefix + value.name();
    }
  }

  String of(E value) {
    return names[value.ordinal()];
  }
}
