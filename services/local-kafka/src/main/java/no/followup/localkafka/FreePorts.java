package no.followup.localkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Ports nothing listens on now, for a broker or a process this JVM is about to start. A port probed
 * and closed may be handed out again by the kernel at once, so two ports chosen one after the other
 * can be the same one, and two processes started on it collide. So every port is given out once per
 * JVM, and the ports asked for together are probed with every probe still bound.
 */
public final class FreePorts {

  /** More probes than this without a port means the machine's ephemeral ports are exhausted. */
  private static final int MAX_PROBES = 1_000;

  private static final Set<Integer> handedOut = new HashSet<>();

  private FreePorts() {}

  /** One free port, never given out before by this JVM. */
  public static int take() {
    return take(1, List.of()).get(0);
  }

  /** {@code count} free ports, distinct, never given out before by this JVM and none of {@code besides}. */
  public static synchronized List<Integer> take(int count, Collection<Integer> besides) {
    List<ServerSocket> probes = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      while (ports.size() < count) {
        if (probes.size() == MAX_PROBES) {
          throw new IllegalStateException("no free port found in " + MAX_PROBES + " probes");
        }
        ServerSocket probe = new ServerSocket(0);
        probes.add(probe);
        int port = probe.getLocalPort();
        if (!besides.contains(port) && handedOut.add(port)) {
          ports.add(port);
        }
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      probes.forEach(FreePorts::closeQuietly);
    }
  }

  private static void closeQuietly(ServerSocket probe) {
    try {
      probe.close();
    } catch (IOException e) {
      // a probe that cannot close is freed with this process; the chosen ports stand either way
    }
  }
}
