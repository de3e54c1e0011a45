package no.followup.common.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.apache.kafka.streams.state.internals.BlockBasedTableConfigWithAccessibleCache;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store in this JVM, following the "bounded memory"
 * recipe of the Kafka Streams memory-management docs: one LRU block cache shared by all stores
 * (index and filter blocks are cached in it too, in the high-priority pool) and a write-buffer
 * manager that charges memtables against that same cache. Without this, each store instance gets
 * its own cache and memtables, so memory grows with the number of stores and partitions.
 *
 * <p>The cache is static: every Streams application in the JVM (the local stack runs several)
 * shares the one budget. Its size is read once, from {@link #TOTAL_BYTES_CONFIG} in the Streams
 * configuration of the first store opened (default {@link #DEFAULT_TOTAL_BYTES}); a quarter of it
 * is the memtable budget.
 *
 * <p><b>Why 256 MiB and no strict limit.</b> The status application alone opens six stores per
 * partition. With the earlier 32 MiB budget their memtables shared 8 MiB, so every few hundred
 * writes forced a flush, level 0 filled with tiny files and writes stalled: the stream thread
 * spent most of its time blocked in {@code RocksDB.put}, and the benchmark's status rate went from
 * 827 to 4,065 events/s when only the budget changed to 256 MiB (same run, same broker). The cache
 * has no strict capacity limit, as in the Kafka docs' recipe: with a strict limit a full cache makes
 * reads and writes fail ("Incomplete"), which a stream thread can only treat as fatal. The bound is
 * therefore soft: RocksDB may briefly exceed it while pinned blocks are in use.
 */
public final class BoundedRocksDbConfigSetter implements RocksDBConfigSetter {

  /** Streams config key (a number of bytes) for the total RocksDB budget of this JVM. */
  public static final String TOTAL_BYTES_CONFIG = "followup.rocksdb.total.bytes";

  public static final long DEFAULT_TOTAL_BYTES = 256L * 1024 * 1024;

  private static final double INDEX_FILTER_BLOCK_RATIO = 0.1;
  private static final long BLOCK_SIZE = 4 * 1024L;
  private static final int MEMTABLES_PER_STORE = 2;

  private static Cache cache;
  private static WriteBufferManager writeBufferManager;
  private static long totalBytes;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Shared shared = shared(configs);
    BlockBasedTableConfigWithAccessibleCache tableConfig =
        (BlockBasedTableConfigWithAccessibleCache) options.tableFormatConfig();
    tableConfig.setBlockCache(shared.cache());
    tableConfig.setCacheIndexAndFilterBlocks(true);
    tableConfig.setCacheIndexAndFilterBlocksWithHighPriority(true);
    tableConfig.setPinTopLevelIndexAndFilter(true);
    tableConfig.setBlockSize(BLOCK_SIZE);
    options.setTableFormatConfig(tableConfig);
    options.setWriteBufferManager(shared.writeBufferManager());
    options.setMaxWriteBufferNumber(MEMTABLES_PER_STORE);
    options.setWriteBufferSize(Math.max(64 * 1024L, shared.totalBytes() / 4 / MEMTABLES_PER_STORE));
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and write-buffer manager are shared by every store in the JVM: never closed here.
  }

  /** The budget in force, once a store has been opened; 0 before. */
  public static synchronized long totalBytes() {
    return totalBytes;
  }

  private record Shared(Cache cache, WriteBufferManager writeBufferManager, long totalBytes) {}

  private static synchronized Shared shared(Map<String, Object> configs) {
    if (cache == null) {
      totalBytes = parseBytes(configs == null ? null : configs.get(TOTAL_BYTES_CONFIG));
      cache = new LRUCache(totalBytes, -1, false, INDEX_FILTER_BLOCK_RATIO);
      writeBufferManager = new WriteBufferManager(totalBytes / 4, cache);
    }
    return new Shared(cache, writeBufferManager, totalBytes);
  }

  static long parseBytes(Object value) {
    if (value == null) {
      return DEFAULT_TOTAL_BYTES;
    }
    long bytes = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
    if (bytes < 1024 * 1024) {
      throw new IllegalArgumentException(TOTAL_BYTES_CONFIG + " must be at least 1 MiB, was " + bytes);
    }
    return bytes;
  }
}
