package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/**
 * A declared column of a file or Kafka source: {@code name}, a type and whether a value is
 * required. In {@code floe.yaml} a column reads {@code name: type} or {@code name: type not null},
 * with type one of {@code string, int, long, double, boolean, date, timestamptz, decimal(p,s)}.
 */
public record Column(String name, Type type, int precision, int scale, boolean required) {
  /** The types a declared column can have. */
  public enum Type {
    STRING,
    INT,
    LONG,
    DOUBLE,
    BOOLEAN,
    DATE,
    TIMESTAMPTZ,
    DECIMAL
  }

  public Column {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }

  /** Parses {@code type [not null]}; empty when it is not a known type. */
  public static Optional<Column> parse(String name, String declaration) {
    String text = declaration.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    boolean required = text.endsWith(" not null");
    if (required) {
      text = text.substring(0, text.length() - " not null".length()).trim();
    }
    String compact = text.replace(" ", "");
    if (compact.matches("decimal\\(\\d{1,2},\\d{1,2}\\)")) {
      String[] parts = compact.substring(8, compact.length() - 1).split(",");
      int precision = Integer.parseInt(parts[0]);
      int scale = Integer.parseInt(parts[1]);
      if (precision < 1 || precision > 38 || scale > precision) {
        return Optional.empty();
      }
      return Optional.of(new Column(name, Type.DECIMAL, precision, scale, required));
    }
    String alias =
        switch (compact) {
          case "bigint" -> "long";
          case "integer" -> "int";
          case "varchar", "text" -> "string";
          case "timestamp" -> "timestamptz";
          default -> compact;
        };
    for (Type type : Type.values()) {
      if (type != Type.DECIMAL && type.name().toLowerCase(Locale.ROOT).equals(alias)) {
        return Optional.of(new Column(name, type, 0, 0, required));
      }
    }
    return Optional.empty();
  }

  /** The canonical declaration, e.g. {@code decimal(12,2) not null}. */
  public String declaration() {
    String type =
        this.type == Type.DECIMAL
            ? "decimal(%d,%d)".formatted(precision, scale)
            : this.type.name().toLowerCase(Locale.ROOT);
    return required ? type + " not null" : type;
  }
}
