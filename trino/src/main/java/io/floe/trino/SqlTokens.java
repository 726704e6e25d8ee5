package io.floe.trino;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits Trino SQL into tokens, just enough to find table names outside string literals, quoted
 * identifiers and comments. It does not parse SQL.
 */
final class SqlTokens {
  enum Kind {
    WORD,
    QUOTED,
    STRING,
    NUMBER,
    SYMBOL,
    TRIVIA
  }

  /** One token: {@code text} is {@code sql.substring(start, end)}. */
  record Token(Kind kind, String text, int start, int end) {
    boolean isIdentifier() {
      return kind == Kind.WORD || kind == Kind.QUOTED;
    }

    boolean is(String symbolOrWord) {
      return (kind == Kind.SYMBOL || kind == Kind.WORD) && text.equalsIgnoreCase(symbolOrWord);
    }

    /** The identifier's name as Trino resolves it: unquoted names are case-insensitive. */
    String name() {
      return kind == Kind.QUOTED
          ? text.substring(1, text.length() - 1).replace("\"\"", "\"")
          : text.toLowerCase(Locale.ROOT);
    }
  }

  private SqlTokens() {}

  /** Every token that is not whitespace or a comment, in order. */
  static List<Token> significant(String sql) {
    return tokenize(sql).stream().filter(t -> t.kind() != Kind.TRIVIA).toList();
  }

  static List<Token> tokenize(String sql) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      int start = i;
      Kind kind;
      if (Character.isWhitespace(c)) {
        while (i < n && Character.isWhitespace(sql.charAt(i))) {
          i++;
        }
        kind = Kind.TRIVIA;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
        kind = Kind.TRIVIA;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
        kind = Kind.TRIVIA;
      } else if (c == '\'' || c == '"') {
        i = closingQuote(sql, i, c);
        kind = c == '\'' ? Kind.STRING : Kind.QUOTED;
      } else if (Character.isLetter(c) || c == '_') {
        while (i < n && isWordPart(sql.charAt(i))) {
          i++;
        }
        kind = Kind.WORD;
      } else if (Character.isDigit(c)) {
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
          i++;
        }
        kind = Kind.NUMBER;
      } else {
        i++;
        kind = Kind.SYMBOL;
      }
      tokens.add(new Token(kind, sql.substring(start, i), start, i));
    }
    return tokens;
  }

  private static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '@';
  }

  /** The index after the quote closing the one at {@code open}; doubled quotes escape. */
  private static int closingQuote(String sql, int open, char quote) {
    int i = open + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    throw new IllegalArgumentException("unterminated " + (quote == '\'' ? "string" : "identifier"));
  }
}
