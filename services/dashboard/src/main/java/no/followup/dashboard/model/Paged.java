package no.followup.dashboard.model;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;

/**
 * The rows under one key prefix, read a page at a time: at most {@link #PAGE} decoded rows are in memory
 * per iteration, and no native iterator stays open between pages (a view that stops early leaks
 * nothing). Rows written meanwhile may or may not show, as with any live view.
 */
final class Paged<T> implements Iterable<T> {

  static final int PAGE = 512;

  private final StateStore store;
  private final StateStore.Family family;
  private final byte[] prefix;
  private final byte[] start;
  private final BiFunction<byte[], byte[], T> decode;

  /** @param decode a key and value to the row, or null to pass over it */
  Paged(StateStore store, StateStore.Family family, byte[] prefix, BiFunction<byte[], byte[], T> decode) {
    this(store, family, prefix, null, decode);
  }

  /** @param start the first key to read (within the prefix), or null for the prefix's first */
  Paged(StateStore store, StateStore.Family family, byte[] prefix, byte[] start, BiFunction<byte[], byte[], T> decode) {
    this.store = store;
    this.family = family;
    this.prefix = prefix;
    this.start = start;
    this.decode = decode;
  }

  @Override
  public Iterator<T> iterator() {
    return new Iterator<>() {
      private List<T> page = List.of();
      private int next;
      private byte[] from = start;
      private boolean exhausted;

      @Override
      public boolean hasNext() {
        while (next >= page.size() && !exhausted) {
          List<T> rows = new ArrayList<>();
          byte[] last = store.scan(family, prefix, from, PAGE, (key, value) -> {
            T row = decode.apply(key, value);
            if (row != null) {
              rows.add(row);
            }
            return true;
          });
          exhausted = last == null;
          from = last == null ? null : StateStore.after(last);
          page = rows;
          next = 0;
        }
        return next < page.size();
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.get(next++);
      }
    };
  }
}
