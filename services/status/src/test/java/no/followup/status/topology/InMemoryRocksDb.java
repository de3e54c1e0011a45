package no.followup.status.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Env;
import org.rocksdb.Options;
import org.rocksdb.RocksMemEnv;

/**
 * Keeps the RocksDB stores of the topology test driver in memory. The driver commits after every
 * record, and every commit flushes the stores to new files that RocksDB then compacts: on a disk
 * shared with brokers and other builds, a few hundred records took minutes. In memory they take
 * what the computation takes, and the stores are still RocksDB, as in production.
 */
public final class InMemoryRocksDb implements RocksDBConfigSetter {

  /**
   * One in-memory file system for the test JVM, never closed: Kafka Streams calls {@link #close}
   * before it closes the database, so an environment closed there would be pulled from under an
   * open store. Each test's state directory is a fresh path, so stores never meet old files.
   */
  private static final Env MEMORY = new RocksMemEnv(Env.getDefault());

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    options.setEnv(MEMORY);
  }

  @Override
  public void close(String storeName, Options options) {
    // the environment is shared by every store of the JVM; see MEMORY
  }
}
