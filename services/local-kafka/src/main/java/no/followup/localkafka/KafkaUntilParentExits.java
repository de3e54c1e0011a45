package no.followup.localkafka;

import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of the broker child that {@link LocalKafkaBroker} starts: runs {@code kafka.Kafka}
 * in this JVM and halts the JVM as soon as the process that started it is gone, however it died
 * (kill -9 included), so a broker never outlives its owner and never lingers on its ports.
 *
 * <p>The owner is watched through this process's stdin: a pipe whose only write end is held by the
 * owner, which never writes to it and keeps it open while the broker should run. The kernel closes
 * a dead process's file descriptors whatever killed it, so the read here returns end-of-file at
 * once. That needs no polling and no process id, which after the owner's death may already name
 * another process. The alternatives are weaker: {@code ProcessHandle.parent().onExit()} polls a
 * process that is not our child with sleeps growing to 5 s, and Linux's parent-death signal is out
 * of reach without native code.
 *
 * <p>The JVM halts rather than exits: nobody waits for a controlled shutdown any more, and Kafka
 * recovers its log on the next start from the data it finds.
 */
public final class KafkaUntilParentExits {

  private static final Logger log = LoggerFactory.getLogger(KafkaUntilParentExits.class);

  /** Exit status of a broker halted because its owner is gone. */
  private static final int OWNER_GONE_STATUS = 3;

  private KafkaUntilParentExits() {}

  public static void main(String[] args) {
    // Watching starts before Kafka does: an owner that dies while the broker starts must end it too.
    Thread watcher = new Thread(KafkaUntilParentExits::haltWhenOwnerIsGone, "owner-watch");
    watcher.setDaemon(true);
    watcher.start();
    kafka.Kafka.main(args);
  }

  private static void haltWhenOwnerIsGone() {
    byte[] ignored = new byte[256];
    try (InputStream fromOwner = System.in) {
      while (fromOwner.read(ignored) != -1) {
        // the owner writes nothing; should it ever, the bytes carry no meaning
      }
    } catch (IOException brokenPipe) {
      // a pipe that fails to read is as gone as a closed one
    }
    log.warn("The process that started this broker is gone (its end of stdin closed); halting the broker");
    Runtime.getRuntime().halt(OWNER_GONE_STATUS);
  }
}
