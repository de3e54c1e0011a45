package no.followup.common.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.internals.BlockBasedTableConfigWithAccessibleCache;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbConfigSetterTest {

  @Test
  void everyStoreSharesOneCacheAndWriteBufferBudget() {
    RocksDB.loadLibrary();
    var setter = new BoundedRocksDbConfigSetter();
    Map<String, Object> configs = new HashMap<>();
    try (Options first = optionsAsStreamsBuildsThem(); Options second = optionsAsStreamsBuildsThem()) {
      setter.setConfig("store-a", first, configs);
      setter.setConfig("store-b", second, configs);

      var cacheA = ((BlockBasedTableConfigWithAccessibleCache) first.tableFormatConfig()).blockCache();
      var cacheB = ((BlockBasedTableConfigWithAccessibleCache) second.tableFormatConfig()).blockCache();
      assertThat(cacheA).isNotNull().isSameAs(cacheB);
      assertThat(first.writeBufferManager()).isNotNull().isSameAs(second.writeBufferManager());
      assertThat(BoundedRocksDbConfigSetter.totalBytes()).isEqualTo(BoundedRocksDbConfigSetter.DEFAULT_TOTAL_BYTES);
      assertThat(first.maxWriteBufferNumber()).isEqualTo(2);
      setter.close("store-a", first);
      setter.close("store-b", second);
    }
  }

  @Test
  void budgetIsReadFromTheStreamsConfiguration() {
    assertThat(BoundedRocksDbConfigSetter.parseBytes("67108864")).isEqualTo(64L * 1024 * 1024);
    assertThat(BoundedRocksDbConfigSetter.parseBytes(null)).isEqualTo(BoundedRocksDbConfigSetter.DEFAULT_TOTAL_BYTES);
    assertThatThrownBy(() -> BoundedRocksDbConfigSetter.parseBytes(10)).isInstanceOf(IllegalArgumentException.class);
  }

  private static Options optionsAsStreamsBuildsThem() {
    Options options = new Options();
    options.setTableFormatConfig(new BlockBasedTableConfigWithAccessibleCache());
    return options;
  }
}
