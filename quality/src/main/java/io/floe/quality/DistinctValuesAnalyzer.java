package io.floe.quality;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;

/**
 * The distinct non-null values of a string column, while there are at most {@code limit}: enough to
 * tell a column of categories (a status, a country) and list them. A file whose column dictionaries
 * hold its values is answered without decoding a row. Not stored: only a suggestion asks for it.
 */
record DistinctValuesAnalyzer(String column, int limit) implements Analyzer {
  /** The values, or none with {@code more} set once there were more than the limit. */
  record Values(Set<String> values, boolean more, int limit) implements State {
    Values {
      values = Set.copyOf(values);
    }

    static Values of(Set<String> values, int limit) {
      return values.size() > limit
          ? new Values(Set.of(), true, limit)
          : new Values(values, false, limit);
    }

    @Override
    public State merge(State other) {
      Values o = (Values) other;
      if (more || o.more) {
        return new Values(Set.of(), true, limit);
      }
      Set<String> union = new TreeSet<>(values);
      union.addAll(o.values);
      return of(union, limit);
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
      out.writeBoolean(more);
      out.writeInt(limit);
      out.writeInt(values.size());
      for (String value : new TreeSet<>(values)) {
        out.writeUTF(value);
      }
    }
  }

  @Override
  public String key() {
    return "values(" + column + ", " + limit + ")";
  }

  @Override
  public List<String> columns() {
    return List.of(column);
  }

  @Override
  public State empty() {
    return new Values(Set.of(), false, limit);
  }

  @Override
  public boolean storable() {
    return false;
  }

  @Override
  public Optional<State> fromDictionaries(DataFile file, ColumnDictionaries dictionaries)
      throws IOException {
    return dictionaries.strings(column).map(found -> Values.of(found.distinct(), limit));
  }

  @Override
  public Accumulator accumulator(Schema projection) {
    Columns.Path path = Columns.path(projection, column);
    return new Accumulator() {
      final Set<String> seen = new TreeSet<>();
      boolean more;

      @Override
      public void add(StructLike row, StructLike raw) {
        Object value = path.get(raw, Object.class);
        if (value != null && !more && seen.add(value.toString()) && seen.size() > limit) {
          more = true;
          seen.clear();
        }
      }

      @Override
      public State result() {
        return more ? new Values(Set.of(), true, limit) : new Values(seen, false, limit);
      }
    };
  }

  @Override
  public State read(DataInputStream in) throws IOException {
    boolean more = in.readBoolean();
    int kept = in.readInt();
    int count = in.readInt();
    Set<String> values = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      values.add(in.readUTF());
    }
    return new Values(values, more, kept);
  }
}
