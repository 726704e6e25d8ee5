package io.floe.catalog.rest;

import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.rest.responses.ErrorResponse;

/**
 * Maps an exception thrown while serving a request to the HTTP status and Iceberg {@link
 * ErrorResponse} the REST specification assigns to it.
 *
 * <p>The status decides what clients do next: Iceberg's HTTP client retries idempotent requests on
 * 500, so only failures that are really the server's own may answer 500.
 */
final class ErrorMapping {
  private ErrorMapping() {}

  /** The error response for {@code failure}; its code is the HTTP status to answer with. */
  static ErrorResponse toResponse(Throwable failure) {
    int status = statusOf(failure);
    String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
    return ErrorResponse.builder()
        .responseCode(status)
        .withType(failure.getClass().getSimpleName())
        .withMessage(message)
        .build();
  }

  /** Whether the failure behind {@code response} is the server's own, so its trace is logged. */
  static boolean isServerFault(ErrorResponse response) {
    return response.code() >= 500;
  }

  private static int statusOf(Throwable failure) {
    if (failure instanceof NoSuchTableException
        || failure instanceof NoSuchNamespaceException
        || failure instanceof NoSuchViewException
        || failure instanceof NotFoundException) {
      return 404;
    }
    if (failure instanceof AlreadyExistsException
        || failure instanceof CommitFailedException
        || failure instanceof NamespaceNotEmptyException) {
      return 409;
    }
    if (failure instanceof IllegalArgumentException
        || failure instanceof ValidationException
        || failure instanceof BadRequestException) {
      return 400;
    }
    if (failure instanceof NotAuthorizedException) {
      return 401;
    }
    if (failure instanceof ForbiddenException) {
      return 403;
    }
    if (failure instanceof UnsupportedOperationException) {
      return 406;
    }
    if (failure instanceof ServiceUnavailableException) {
      return 503;
    }
    // CommitStateUnknownException lands here on purpose: a 500 on a commit tells the client that
    // the outcome is unknown, so it must neither retry nor clean up.
    return 500;
  }
}
