package no.followup.dashboard.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksMemEnv;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The read model's RocksDB: one column family per kind of row, one for the secondary index keys and
 * one for bookkeeping (consumed offsets, erasure markers, the stored format). Memory is bounded
 * explicitly: one LRU block cache of {@link #CACHE_BYTES} holds data, index and filter blocks, and the
 * memtables are charged to the same cache through a write-buffer manager, so the store's native
 * memory does not grow with the data on disk.
 */
final class StateStore implements AutoCloseable {

  /** Block cache, index/filter blocks and memtables together stay within this. */
  static final long CACHE_BYTES = 64L << 20;
  private static final long WRITE_BUFFER_BYTES = 16L << 20;
  private static final int MAX_OPEN_FILES = 256;

  /** The column families, in the order of their handles. */
  enum Family {
    STATUSES, TALLIES, TASKS, RECEIPTS, INDEX, META;

    byte[] id() {
      return this == STATUSES ? RocksDB.DEFAULT_COLUMN_FAMILY : name().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The store could not read or write: not the fault of a record, and nothing to skip past. */
  static final class Failure extends RuntimeException {
    Failure(String message, RocksDBException cause) {
      super(message + ": " + cause.getMessage(), cause);
    }
  }

  static {
    RocksDB.loadLibrary();
  }

  private final List<AutoCloseable> natives = new ArrayList<>();
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final WriteOptions writeOptions;
  /** Reads and writes hold it shared, {@link #close} exclusively: native handles are never used once freed. */
  private final ReadWriteLock open = new ReentrantReadWriteLock();
  private boolean closed;

  private StateStore(Path directory, Env env, boolean onDisk) {
    LRUCache cache = keep(new LRUCache(CACHE_BYTES));
    WriteBufferManager writeBuffers = keep(new WriteBufferManager(WRITE_BUFFER_BYTES, cache));
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setBlockCache(cache)
        .setCacheIndexAndFilterBlocks(true)
        .setPinL0FilterAndIndexBlocksInCache(true)
        .setFilterPolicy(keep(new BloomFilter(10)));
    ColumnFamilyOptions columnOptions = keep(new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .setWriteBufferSize(WRITE_BUFFER_BYTES / 4)
        .setMaxWriteBufferNumber(2)
        .setCompressionType(CompressionType.LZ4_COMPRESSION));
    DBOptions options = keep(new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setWriteBufferManager(writeBuffers)
        .setMaxOpenFiles(MAX_OPEN_FILES)
        .setMaxBackgroundJobs(2)
        .setKeepLogFileNum(2)
        .setEnv(env));
    List<ColumnFamilyDescriptor> descriptors = Arrays.stream(Family.values())
        .map(f -> new ColumnFamilyDescriptor(f.id(), columnOptions)).toList();
    try {
      if (onDisk) {
        Files.createDirectories(directory);
      }
      db = RocksDB.open(options, directory.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      closeNatives();
      throw new IllegalStateException("cannot open the dashboard's state store in " + directory
          + " (is another instance using it? every instance needs its own state directory): " + e.getMessage(), e);
    } catch (IOException e) {
      closeNatives();
      throw new UncheckedIOException("cannot create the state directory " + directory, e);
    }
    writeOptions = keep(new WriteOptions());
  }

  /** The store in {@code directory}, created when missing. */
  static StateStore open(Path directory) {
    return new StateStore(directory, Env.getDefault(), true);
  }

  /** A store that lives in memory only (tests): nothing survives {@link #close}. */
  static StateStore inMemory() {
    RocksMemEnv env = new RocksMemEnv(Env.getDefault());
    StateStore store = new StateStore(Path.of("/read-model"), env, false);
    store.natives.add(env);
    return store;
  }

  /** Deletes the store's directory (a store of an older format is read again from the topics). */
  static void delete(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the state directory " + directory, e);
    }
  }

  byte[] get(Family family, byte[] key) {
    open.readLock().lock();
    try {
      return db.get(handle(family), key);
    } catch (RocksDBException e) {
      throw new Failure("state store read failed", e);
    } finally {
      open.readLock().unlock();
    }
  }

  /** Writes the batch atomically (rows, index keys and offsets together). */
  void write(WriteBatch batch) {
    open.readLock().lock();
    try {
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new Failure("state store write failed", e);
    } finally {
      open.readLock().unlock();
    }
  }

  void put(WriteBatch batch, Family family, byte[] key, byte[] value) {
    try {
      batch.put(handle(family), key, value);
    } catch (RocksDBException e) {
      throw new Failure("state store batch failed", e);
    }
  }

  void delete(WriteBatch batch, Family family, byte[] key) {
    try {
      batch.delete(handle(family), key);
    } catch (RocksDBException e) {
      throw new Failure("state store batch failed", e);
    }
  }

  /** Deletes every key from {@code from} (inclusive) to {@code to} (exclusive). */
  void deleteRange(Family family, byte[] from, byte[] to) {
    open.readLock().lock();
    try {
      db.deleteRange(handle(family), from, to);
    } catch (RocksDBException e) {
      throw new Failure("state store delete failed", e);
    } finally {
      open.readLock().unlock();
    }
  }

  /**
   * Hands the entries whose key starts with {@code prefix}, from {@code from} on (inclusive; null for the
   * prefix's start), to {@code visitor} until it answers false or {@code limit} were handed; answers the
   * last key handed, or null when none. Callers page with it, so no native iterator outlives a call.
   */
  byte[] scan(Family family, byte[] prefix, byte[] from, int limit, BiPredicate<byte[], byte[]> visitor) {
    byte[] last = null;
    open.readLock().lock();
    try (ReadOptions read = new ReadOptions();
        RocksIterator it = db.newIterator(handle(family), read)) {
      it.seek(from == null ? prefix : from);
      int handed = 0;
      while (it.isValid() && handed < limit) {
        byte[] key = it.key();
        if (!startsWith(key, prefix)) {
          break;
        }
        last = key;
        handed++;
        if (!visitor.test(key, it.value())) {
          break;
        }
        it.next();
      }
      it.status();
    } catch (RocksDBException e) {
      throw new Failure("state store scan failed", e);
    } finally {
      open.readLock().unlock();
    }
    return last;
  }

  /** The smallest key after {@code key} (for paging on from the last key handed). */
  static byte[] after(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private ColumnFamilyHandle handle(Family family) {
    if (closed) {
      throw new IllegalStateException("the state store is closed");
    }
    return handles.get(family.ordinal());
  }

  private <T extends AutoCloseable> T keep(T resource) {
    natives.add(resource);
    return resource;
  }

  private void closeNatives() {
    for (int i = natives.size() - 1; i >= 0; i--) {
      try {
        natives.get(i).close();
      } catch (Exception e) {
        // closing native handles does not fail in a way the caller can act on
      }
    }
    natives.clear();
  }

  @Override
  public void close() {
    open.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
      closeNatives();
    } finally {
      open.writeLock().unlock();
    }
  }
}
