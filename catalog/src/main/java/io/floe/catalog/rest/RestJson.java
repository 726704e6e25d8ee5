package io.floe.catalog.rest;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTSerializers;

/**
 * Reads and writes the JSON bodies of the Iceberg REST protocol.
 *
 * <p>The mapper is set up like Iceberg's own package-private {@code RESTObjectMapper}: request and
 * response classes keep their state in private fields with camelCase names while the wire uses
 * kebab-case, so without field visibility and the kebab-case strategy Jackson silently drops {@code
 * partition-spec} and {@code write-order} and tables come out unpartitioned.
 */
final class RestJson {
  private final ObjectMapper mapper;

  RestJson() {
    mapper = new ObjectMapper();
    mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.setPropertyNamingStrategy(new PropertyNamingStrategies.KebabCaseStrategy());
    RESTSerializers.registerAll(mapper);
  }

  /**
   * Parses a request body.
   *
   * @throws BadRequestException when the body is empty or not a valid {@code type}
   */
  <T> T read(byte[] body, Class<T> type) {
    if (body.length == 0) {
      throw new BadRequestException("Missing request body, expected %s", type.getSimpleName());
    }
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw new BadRequestException("Invalid request body: null");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new BadRequestException(
          e, "Invalid %s: %s", type.getSimpleName(), e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serializes a response body. */
  byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }
}
