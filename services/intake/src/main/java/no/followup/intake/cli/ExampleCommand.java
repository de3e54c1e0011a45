package no.followup.intake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import no.followup.intake.event.EventSchema;
import no.followup.intake.event.ExampleEvents;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints an example event of a type, generated from the schema, ready to publish. */
@Command(name = "example", mixinStandardHelpOptions = true,
    description = "Print an example event (JSON) of TYPE, with a fresh eventId; without TYPE, list the types.")
final class ExampleCommand implements Callable<Integer> {

  @Parameters(arity = "0..1", paramLabel = "TYPE", description = "Payload type, e.g. MeetingScheduled")
  String type;

  @Option(names = "--compact", description = "One line (for a JSON-lines file) instead of indented JSON")
  boolean compact;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (type == null) {
      EventSchema.get().typeNames().forEach(out::println);
      out.flush();
      return FollowupCli.OK;
    }
    if (EventSchema.get().payloadType(type).isEmpty()) {
      spec.commandLine().getErr().println("Unknown type " + type + "; known types: "
          + String.join(", ", EventSchema.get().typeNames()));
      return FollowupCli.FAILED;
    }
    ObjectNode event = new ExampleEvents().example(type, Instant.now());
    // a fresh id, so that publishing two examples gives two events rather than one deduplicated one
    event.put("eventId", UUID.randomUUID().toString());
    ObjectMapper mapper = new ObjectMapper();
    out.println(compact ? mapper.writeValueAsString(event) : mapper.writerWithDefaultPrettyPrinter().writeValueAsString(event));
    out.flush();
    return FollowupCli.OK;
  }
}
