package no.followup.localkafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A process that starts a broker and holds it, so a test can kill this owner and see what becomes of
 * the broker. Arguments: data dir, listener port, controller port. Prints {@code broker-pid=<pid>}
 * once the broker is ready.
 */
final class BrokerOwnerMain {

  static final String BROKER_PID_PREFIX = "broker-pid=";

  private BrokerOwnerMain() {}

  public static void main(String[] args) throws InterruptedException {
    // No shutdown hook: only the broker's own watch on its owner may end it.
    LocalKafkaBroker broker = LocalKafkaBroker.start(new LocalKafkaBroker.Options(
        Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), "256m", Duration.ofSeconds(90), false));
    System.out.println(BROKER_PID_PREFIX + broker.pid());
    System.out.flush();
    new CountDownLatch(1).await(); // until the test kills this process
  }
}
