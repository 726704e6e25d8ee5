package io.floe.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A job's {@code --name value} arguments. */
public final class JobArguments {
  private final Map<String, String> values;

  private JobArguments(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static JobArguments parse(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + arg + "'");
      }
      values.put(arg.substring(2), args[++i]);
    }
    return new JobArguments(values);
  }

  public String required(String name) {
    return optional(name)
        .orElseThrow(() -> new IllegalArgumentException("missing job argument --" + name));
  }

  public Optional<String> optional(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public long longValue(String name, long defaultValue) {
    return optional(name).map(Long::parseLong).orElse(defaultValue);
  }
}
