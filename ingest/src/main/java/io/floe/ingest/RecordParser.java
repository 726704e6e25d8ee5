package io.floe.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one text record (a JSON line, a CSV or TSV line, a Kafka message) into typed values of the
 * declared columns, or into the reason it cannot: malformed JSON, a wrong column count, a value of
 * the wrong type, a missing required value. Values are Spark's external types (Long, BigDecimal,
 * Timestamp, ...).
 */
final class RecordParser implements Serializable {
  enum Format {
    CSV,
    TSV,
    JSONL
  }

  /** The outcome for one record: values, or a reason. */
  record Parsed(Object[] values, String reason) {
    boolean ok() {
      return reason == null;
    }
  }

  private final List<ColumnSpec> columns;
  private final Format format;
  private transient ObjectMapper json;

  RecordParser(List<ColumnSpec> columns, Format format) {
    this.columns = List.copyOf(columns);
    this.format = format;
  }

  int width() {
    return columns.size();
  }

  Parsed parse(String record) {
    if (record.isBlank()) {
      return failure("empty record");
    }
    return format == Format.JSONL ? parseJson(record) : parseDelimited(record);
  }

  /** Whether {@code line} is the header naming exactly the declared columns. */
  boolean isHeader(String line) {
    List<String> fields = format == Format.TSV ? List.of(line.split("\t", -1)) : splitCsv(line);
    if (fields == null || fields.size() != columns.size()) {
      return false;
    }
    for (int i = 0; i < fields.size(); i++) {
      if (!fields.get(i).trim().equalsIgnoreCase(columns.get(i).name())) {
        return false;
      }
    }
    return true;
  }

  private Parsed parseJson(String record) {
    JsonNode node;
    try {
      node = mapper().readTree(record);
    } catch (JsonProcessingException e) {
      return failure("malformed JSON: " + firstLine(e.getOriginalMessage()));
    }
    if (node == null || !node.isObject()) {
      return failure("not a JSON object");
    }
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      ColumnSpec column = columns.get(i);
      JsonNode value = node.get(column.name());
      if (value == null || value.isNull()) {
        if (column.required()) {
          return failure("column %s: missing required value".formatted(column.name()));
        }
        continue;
      }
      if (value.isContainerNode()) {
        return failure(
            "column %s: expected a %s, found a JSON %s"
                .formatted(column.name(), column.type(), value.isArray() ? "array" : "object"));
      }
      if (value.isNumber() && !column.type().equals("string")) {
        String problem = checkNumber(column, value);
        if (problem != null) {
          return failure(problem);
        }
      }
      if (value.isBoolean()
          && !column.type().equals("boolean")
          && !column.type().equals("string")) {
        return failure("column %s: %s is not a %s".formatted(column.name(), value, column.type()));
      }
      Object converted;
      try {
        converted = convert(column, value.asText());
      } catch (RuntimeException e) {
        return failure(typeError(column, value.asText()));
      }
      values[i] = converted;
    }
    return new Parsed(values, null);
  }

  private static String checkNumber(ColumnSpec column, JsonNode value) {
    boolean integral = value.isIntegralNumber();
    return switch (column.type()) {
      case "int" -> integral && value.canConvertToInt() ? null : typeError(column, value.asText());
      case "long" ->
          integral && value.canConvertToLong() ? null : typeError(column, value.asText());
      case "double", "decimal" -> null;
      default -> typeError(column, value.asText());
    };
  }

  private Parsed parseDelimited(String record) {
    List<String> fields = format == Format.TSV ? List.of(record.split("\t", -1)) : splitCsv(record);
    if (fields == null) {
      return failure("malformed CSV: unbalanced quotes");
    }
    if (fields.size() != columns.size()) {
      return failure("expected %d columns, found %d".formatted(columns.size(), fields.size()));
    }
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      ColumnSpec column = columns.get(i);
      String text = fields.get(i);
      if (text.isEmpty()) {
        if (column.required()) {
          return failure("column %s: missing required value".formatted(column.name()));
        }
        continue;
      }
      try {
        values[i] = convert(column, text);
      } catch (RuntimeException e) {
        return failure(typeError(column, text));
      }
    }
    return new Parsed(values, null);
  }

  private static Object convert(ColumnSpec column, String text) {
    String trimmed = text.trim();
    return switch (column.type()) {
      case "string" -> text;
      case "int" -> Integer.parseInt(trimmed);
      case "long" -> Long.parseLong(trimmed);
      case "double" -> Double.parseDouble(trimmed);
      case "boolean" -> {
        if (trimmed.equalsIgnoreCase("true")) {
          yield Boolean.TRUE;
        }
        if (trimmed.equalsIgnoreCase("false")) {
          yield Boolean.FALSE;
        }
        throw new IllegalArgumentException(trimmed);
      }
      case "date" -> Date.valueOf(LocalDate.parse(trimmed));
      case "timestamptz" -> Timestamp.from(instant(trimmed));
      case "decimal" -> {
        // more fractional digits than the scale would silently change the value: refuse them
        BigDecimal value =
            new BigDecimal(trimmed).setScale(column.scale(), RoundingMode.UNNECESSARY);
        if (value.precision() > column.precision()) {
          throw new ArithmeticException("precision");
        }
        yield value;
      }
      default -> throw new IllegalStateException(column.type());
    };
  }

  /** ISO-8601 with an offset or {@code Z}; a time without an offset is UTC. */
  static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }
  }

  private static String typeError(ColumnSpec column, String text) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    String type =
        column.type().equals("decimal")
            ? "decimal(%d,%d)".formatted(column.precision(), column.scale())
            : column.type();
    return "column %s: '%s' is not a %s".formatted(column.name(), shown, type);
  }

  private static Parsed failure(String reason) {
    return new Parsed(null, reason);
  }

  private ObjectMapper mapper() {
    if (json == null) {
      json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
    return json;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** RFC 4180 fields of one line; null when quotes do not balance. */
  static List<String> splitCsv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      return null;
    }
    fields.add(field.toString());
    return fields;
  }
}
