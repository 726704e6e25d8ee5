package io.floe.ingest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A declared column as the job receives it: {@code name type [not null]}, types as in {@code
 * floe.yaml} (string, int, long, double, boolean, date, timestamptz, decimal(p,s)).
 */
record ColumnSpec(String name, String type, int precision, int scale, boolean required)
    implements Serializable {

  /** Parses {@code a string not null;b decimal(12,2);...}. */
  static List<ColumnSpec> parseAll(String text) {
    List<ColumnSpec> columns = new ArrayList<>();
    for (String part : text.split(";")) {
      String trimmed = part.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int space = trimmed.indexOf(' ');
      if (space < 0) {
        throw new IllegalArgumentException("column without a type: " + trimmed);
      }
      columns.add(parse(trimmed.substring(0, space), trimmed.substring(space + 1)));
    }
    return columns;
  }

  static ColumnSpec parse(String name, String declaration) {
    String text = declaration.trim().toLowerCase(Locale.ROOT);
    boolean required = text.endsWith(" not null");
    if (required) {
      text = text.substring(0, text.length() - " not null".length()).trim();
    }
    text = text.replace(" ", "");
    if (text.startsWith("decimal(")) {
      String[] parts = text.substring(8, text.length() - 1).split(",");
      return new ColumnSpec(
          name, "decimal", Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), required);
    }
    return switch (text) {
      case "string", "int", "long", "double", "boolean", "date", "timestamptz" ->
          new ColumnSpec(name, text, 0, 0, required);
      default -> throw new IllegalArgumentException("unknown type of column " + name + ": " + text);
    };
  }

  DataType sparkType() {
    return switch (type) {
      case "string" -> DataTypes.StringType;
      case "int" -> DataTypes.IntegerType;
      case "long" -> DataTypes.LongType;
      case "double" -> DataTypes.DoubleType;
      case "boolean" -> DataTypes.BooleanType;
      case "date" -> DataTypes.DateType;
      case "timestamptz" -> DataTypes.TimestampType;
      case "decimal" -> DataTypes.createDecimalType(precision, scale);
      default -> throw new IllegalStateException(type);
    };
  }

  static StructType struct(List<ColumnSpec> columns) {
    StructType struct = new StructType();
    for (ColumnSpec column : columns) {
      struct =
          struct.add(
              new StructField(
                  column.name(),
                  column.sparkType(),
                  true,
                  org.apache.spark.sql.types.Metadata.empty()));
    }
    return struct;
  }
}
