package no.followup.intake.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The CLI's progress bar for long runs: done / total, rate and time left, on standard error (standard
 * output stays for results), in plain ASCII so it reads the same in a terminal and in a log.
 */
final class Progress {

  /** Below this many bytes a file is published at once; a bar would only flicker. */
  static final long FILE_BYTES_WORTH_A_BAR = 256 * 1024;

  private Progress() {}

  /** A bar counting bytes, shown in KiB. */
  static ProgressBarBuilder bytes(String task, long totalBytes, PrintStream to) {
    return builder(task, to).setInitialMax(totalBytes).setUnit(" KiB", 1024);
  }

  /** A bar counting records. */
  static ProgressBar records(String task, long total, PrintStream to) {
    return builder(task, to).setInitialMax(total).setUnit(" records", 1).build();
  }

  private static ProgressBarBuilder builder(String task, PrintStream to) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(to))
        .setUpdateIntervalMillis(500)
        .setMaxRenderedLength(100)
        .showSpeed(); // the time left (ETA) is shown by default
  }
}
