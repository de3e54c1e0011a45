package no.followup.registry.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

/**
 * Removes the Java-only properties the Avro compiler adds to generated classes' schemas
 * ({@code "avro.java.string": "String"} with {@code stringType=String}). They do not change the
 * binary encoding, but they do make the class's schema differ from the {@code .avsc} it was
 * generated from, so a schema registered from the {@code .avsc} (by the registration command)
 * would not be found when looked up with the class's schema.
 */
final class JavaProperties {

  static final String JAVA_STRING = "avro.java.string";
  private static final ObjectMapper JSON = new ObjectMapper();

  private JavaProperties() {}

  static Schema remove(Schema schema) {
    if (!schema.toString().contains(JAVA_STRING)) {
      return schema;
    }
    try {
      JsonNode tree = JSON.readTree(schema.toString());
      strip(tree);
      return new Schema.Parser().parse(JSON.writeValueAsString(tree));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("could not rewrite schema " + schema.getFullName(), e);
    }
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(JAVA_STRING);
    }
    node.forEach(JavaProperties::strip);
  }
}
