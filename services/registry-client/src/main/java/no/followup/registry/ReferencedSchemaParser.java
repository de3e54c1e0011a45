package no.followup.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Parses a schema the registry answered together with its {@code references}, as Confluent's own
 * clients do: a schema registered with references only names the types they define, so each
 * referenced schema (one version of a subject, with references of its own) is fetched and parsed
 * first, depth-first, into the parser that then parses the schema itself.
 *
 * <p>The answers come from outside and are bounded like any other: references nest at most
 * {@value #MAX_DEPTH} deep, at most {@value #MAX_REFERENCES} are fetched for one schema, their
 * schema text together is no larger than one answer may be, and a reference met again while its
 * own references are being resolved (a cycle) ends the resolution. A reference that cannot be used
 * (malformed, cyclic, beyond a bound, its subject or version unknown, its schema invalid) makes
 * the schema invalid, not the registry unreachable: asking again gets the same answer. A registry
 * that cannot answer while references are fetched stays the transient failure it is. Not
 * thread-safe: one instance parses one schema.
 */
final class ReferencedSchemaParser {

  /** References of references, counting the schema's own references as depth 1. */
  static final int MAX_DEPTH = 16;
  /** Referenced schemas fetched for one schema, at every depth together. */
  static final int MAX_REFERENCES = 256;
  /** Schema text of every referenced schema together: as much as one answer may hold. */
  static final long MAX_REFERENCED_CHARS = RestSchemaRegistryClient.MAX_ANSWER_BYTES;
  /** Longest reference name or subject: far above any type or subject name, it keeps error messages short. */
  static final int MAX_NAME_CHARS = 1000;

  /** One version of a subject as the registry answers it: {@code schema}, {@code references} and more. */
  @FunctionalInterface
  interface VersionFetcher {
    JsonNode fetch(String subject, int version, String context);
  }

  private final VersionFetcher fetcher;
  private final Schema.Parser parser = new Schema.Parser();
  /** Names whose schemas are parsed: a type referenced from several schemas is fetched and parsed once. */
  private final Set<String> parsed = new HashSet<>();
  /** Names whose references are being resolved, outermost first: one of them referenced again is a cycle. */
  private final Set<String> resolving = new LinkedHashSet<>();
  private int fetched;
  private long referencedChars;

  private ReferencedSchemaParser(VersionFetcher fetcher) {
    this.fetcher = fetcher;
  }

  /**
   * The schema of a registry answer ({@code GET /schemas/ids/{id}} or a subject's version), with
   * the types its references define; {@code what} names the schema in errors.
   */
  static Schema parse(JsonNode answer, String what, VersionFetcher fetcher) {
    ReferencedSchemaParser schemas = new ReferencedSchemaParser(fetcher);
    String text = schemaText(answer, what);
    schemas.resolveAll(answer.get("references"), what, 1);
    return SchemaRegistryState.parse(schemas.parser, text);
  }

  private void resolveAll(JsonNode references, String holder, int depth) {
    if (references == null || references.isNull()) {
      return;
    }
    if (!references.isArray()) {
      throw invalid(holder + ": 'references' is not a list", null);
    }
    for (int i = 0; i < references.size(); i++) {
      resolve(references.get(i), holder + " references[" + i + "]", depth);
    }
  }

  private void resolve(JsonNode reference, String field, int depth) {
    String name = name(reference, "name", field);
    String subject = name(reference, "subject", field);
    JsonNode versionNode = reference.get("version");
    if (versionNode == null || !versionNode.canConvertToInt()) {
      throw invalid(field + " '" + name + "': 'version' is not a number", null);
    }
    int version = versionNode.asInt();
    String described = field + " '" + name + "' (subject '" + subject + "' version " + version + ")";
    if (parsed.contains(name)) {
      return;
    }
    if (resolving.contains(name)) {
      throw invalid(described + " closes a reference cycle: " + String.join(" -> ", resolving) + " -> " + name, null);
    }
    if (depth > MAX_DEPTH) {
      throw invalid(described + " nests references deeper than " + MAX_DEPTH, null);
    }
    if (++fetched > MAX_REFERENCES) {
      throw invalid(described + " is past the limit of " + MAX_REFERENCES + " referenced schemas", null);
    }
    JsonNode answer;
    try {
      answer = fetcher.fetch(subject, version, "fetching " + described);
    } catch (SchemaRegistryException e) {
      if (e.isTransient()) {
        throw e;
      }
      throw invalid(described + " cannot be fetched: the registry answered " + e.status()
          + " (error_code " + e.errorCode() + "): " + e.registryMessage(), e);
    }
    String text = schemaText(answer, described);
    referencedChars += text.length();
    if (referencedChars > MAX_REFERENCED_CHARS) {
      throw invalid(described + " takes the referenced schemas past " + MAX_REFERENCED_CHARS + " characters", null);
    }
    resolving.add(name);
    resolveAll(answer.get("references"), "subject '" + subject + "' version " + version, depth + 1);
    resolving.remove(name);
    try {
      SchemaRegistryState.parse(parser, text);
    } catch (SchemaRegistryException e) {
      throw invalid(described + " is not a usable schema: " + e.registryMessage(), e);
    }
    parsed.add(name);
  }

  /** The answer's Avro schema text; an answer without it did not answer, as transient as a lost one. */
  private static String schemaText(JsonNode answer, String what) {
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new SchemaRegistryException(200, -1, what + " is a " + type + " schema; only AVRO is supported");
    }
    String schema = answer.path("schema").asText(null);
    if (schema == null) {
      throw SchemaRegistryException.unreachable(what + ": an answer without its schema",
          new IOException("no 'schema' in a 2xx answer"));
    }
    return schema;
  }

  private static String name(JsonNode reference, String key, String field) {
    JsonNode value = reference.get(key);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw invalid(field + ": '" + key + "' is missing or not a string", null);
    }
    if (value.asText().length() > MAX_NAME_CHARS) {
      throw invalid(field + ": '" + key + "' is longer than " + MAX_NAME_CHARS + " characters", null);
    }
    return value.asText();
  }

  /** The registry's own answer to an unusable schema (422, 42201), which asking again does not change. */
  private static SchemaRegistryException invalid(String message, Throwable cause) {
    return new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA,
        "Invalid schema reference: " + message, null, cause);
  }
}
