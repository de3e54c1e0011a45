package no.followup.common.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import no.followup.common.auth.Caller;

/**
 * Who saw which participants, and who recorded what, as JSON lines in a file of its own: the
 * dashboard's (people's reads and actions) and the status API's (services' reads). Written
 * directly, never through the application logger: participant ids must not reach the application
 * log, and the audit trail must not depend on log levels or appenders. Each line is flushed before
 * the read it records is answered.
 */
public final class AuditLog implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Clock clock;
  private final Writer out;

  public AuditLog(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open audit log " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  /**
   * Records a read of a participant-level view.
   *
   * @param channel how the data left: {@code api} (JSON API) or {@code stream} (live page update)
   * @param view the view (worklist, review, tasks)
   * @param filters the filters of the request
   * @param participantIds the participants whose rows were returned
   */
  public void read(Caller who, String channel, String view, Map<String, String> filters,
      Collection<String> participantIds) {
    ObjectNode line = base(who, "read");
    line.put("channel", channel);
    line.put("view", view);
    line.set("filters", JSON.valueToTree(filters));
    line.put("count", participantIds.size());
    ArrayNode ids = line.putArray("participantIds");
    participantIds.forEach(ids::add);
    write(line);
  }

  /**
   * Records a read of an aggregate view, as a row read is recorded: who, when, which view over which
   * filters, how many participants it counted and which figures were withheld from the viewer
   * (small-group suppression). It names no participant: the viewer was shown none.
   */
  public void aggregateRead(Caller who, String channel, String view, Map<String, String> filters, long participants,
      Collection<String> suppressed) {
    ObjectNode line = base(who, "read-aggregate");
    line.put("channel", channel);
    line.put("view", view);
    line.set("filters", JSON.valueToTree(filters));
    line.put("count", participants);
    ArrayNode withheld = line.putArray("suppressed");
    suppressed.forEach(withheld::add);
    write(line);
  }

  /**
   * Records a read of person-level data through a service API (the status API): the route, its
   * parameters (ids, dates, limits, each checked by the caller to be no more than that) and the
   * answer's status. The answer itself is not recorded: for a list, the parameters say which
   * participants it could hold (an office's), and the service that asked records whom it showed.
   */
  public void apiRead(Caller who, String route, Map<String, String> parameters, int status) {
    ObjectNode line = base(who, "read");
    line.put("channel", "api");
    line.put("route", route);
    line.set("parameters", JSON.valueToTree(parameters));
    line.put("status", status);
    write(line);
  }

  /**
   * The action of the line that follows an action sent to the intake: the intake's answer to it
   * (same eventId). The action itself is recorded before it is sent, so that one that cannot be
   * recorded is not taken.
   */
  public static final String INTAKE_ANSWERED = "intake-answered";

  /** Records an event recorded from the dashboard on a participant's behalf (a task marked done). */
  public void action(Caller who, String action, String participantId, Map<String, String> details) {
    ObjectNode line = base(who, action);
    line.put("participantId", participantId);
    details.forEach(line::put);
    write(line);
  }

  private ObjectNode base(Caller who, String action) {
    ObjectNode line = JSON.createObjectNode();
    line.put("at", clock.instant().toString());
    line.put("who", who.id());
    ArrayNode roles = line.putArray("roles");
    who.roleNames().forEach(roles::add);
    if (who.local()) {
      line.put("localMode", true);
    }
    line.put("action", action);
    return line;
  }

  private synchronized void write(ObjectNode line) {
    try {
      out.write(JSON.writeValueAsString(line));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      // a read that cannot be audited must not be served
      throw new UncheckedIOException("cannot write the audit log", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
