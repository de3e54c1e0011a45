package no.followup.delivery;

/**
 * Seams for fault-injection tests. Production uses {@link #NONE}.
 */
public interface DeliveryHooks {

  DeliveryHooks NONE = reminderId -> { };

  /**
   * Called after the gateway accepted a message and before the ledger records it as sent: the
   * crash window. A test throws {@link SimulatedCrash} here to stop delivery as a crash would.
   */
  void afterGatewayAccepted(String reminderId);

  /** Thrown by a test hook: delivery stops at once, writing and committing nothing more. */
  final class SimulatedCrash extends RuntimeException {
    public SimulatedCrash(String message) {
      super(message);
    }
  }
}
