package io.floe.catalog.rest;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.apache.iceberg.rest.RESTResponse;

/**
 * The successful answer to a request: a status and, unless it is 204, a JSON body.
 *
 * @param status the HTTP status
 * @param body the response to serialize, absent for 204 No Content
 */
record Reply(int status, Optional<RESTResponse> body) {
  private static final int OK = 200;
  private static final int NO_CONTENT = 204;

  Reply {
    requireNonNull(body, "body is null");
  }

  static Reply ok(RESTResponse body) {
    return new Reply(OK, Optional.of(requireNonNull(body, "body is null")));
  }

  static Reply noContent() {
    return new Reply(NO_CONTENT, Optional.empty());
  }
}
