package no.followup.dashboard.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What the API answers to a write sent on to the intake (a form, a task marked done): an HTTP status and a JSON body. */
public record ApiResult(int status, JsonNode body) {

  /** An answer that says only what went wrong. */
  public static ApiResult error(int status, String message) {
    return new ApiResult(status, errorBody(message));
  }

  /** The body of an error answer, {"error": message}, to which an answer may add more (the fields at fault). */
  public static ObjectNode errorBody(String message) {
    return JsonNodeFactory.instance.objectNode().put("error", message);
  }
}
