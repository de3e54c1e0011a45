package no.followup.bench;

import java.io.File;
import java.nio.file.Path;

/** What every JVM the harness and the chaos suite start needs: this class path and a free port. */
public final class ChildProcesses {

  private ChildProcesses() {}

  /**
   * This JVM's class path, or, when run as {@code java -jar followup-bench.jar} (whose manifest lists
   * its libraries, which {@code java.class.path} does not show), the jar and its {@code lib/}.
   */
  public static String classPath() {
    String own = System.getProperty("java.class.path");
    if (!own.contains(File.pathSeparator) && own.endsWith(".jar")) {
      Path jar = Path.of(own).toAbsolutePath();
      return jar + File.pathSeparator + jar.resolveSibling("lib") + File.separator + "*";
    }
    return own;
  }

}
