package io.github.redisessync.job.mapping;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Redis glob pattern ({@code *}, {@code ?}, {@code [abc]}, {@code \} escapes) as the SCAN MATCH
 * argument, and the same pattern matched locally to route a key and take its document id.
 */
public final class KeyPattern implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String glob;
    private final Pattern regex;

    /** The literal text around the single {@code *}, or null when the pattern is otherwise. */
    private final String keyPrefix;

    private final String keySuffix;

    private KeyPattern(String glob, Pattern regex, String keyPrefix, String keySuffix) {
        this.glob = glob;
        this.regex = regex;
        this.keyPrefix = keyPrefix;
        this.keySuffix = keySuffix;
    }

    /** Compiles {@code glob}; a malformed pattern is rejected with a message naming it. */
    public static KeyPattern of(String glob) {
        if (glob == null || glob.isEmpty()) {
            throw new IllegalArgumentException("A key pattern must not be empty.");
        }
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        String prefix = null;
        boolean onlyStar = true;
        int stars = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*':
                    regex.append("(.*)");
                    stars++;
                    prefix = literal.toString();
                    literal.setLength(0);
                    break;
                case '?':
                    regex.append("(.)");
                    stars++;
                    onlyStar = false;
                    break;
                case '[':
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException(
                                "Key pattern '" + glob + "' has a '[' without a closing ']'.");
                    }
                    String set = glob.substring(i + 1, end);
                    regex.append("([");
                    for (int j = 0; j < set.length(); j++) {
                        char s = set.charAt(j);
                        if (s == '^' && j == 0) {
                            regex.append('^');
                        } else if (s == '-' && j > 0 && j < set.length() - 1) {
                            regex.append('-'); // a range, as in Redis
                        } else if (Character.isLetterOrDigit(s)) {
                            regex.append(s);
                        } else {
                            regex.append('\\').append(s); // a literal, whatever regex makes of it
                        }
                    }
                    regex.append("])");
                    stars++;
                    onlyStar = false;
                    i = end;
                    break;
                case '\\':
                    char escaped = i + 1 < glob.length() ? glob.charAt(++i) : '\\';
                    regex.append(Pattern.quote(String.valueOf(escaped)));
                    literal.append(escaped);
                    break;
                default:
                    regex.append(Pattern.quote(String.valueOf(c)));
                    literal.append(c);
            }
        }
        try {
            boolean template = stars == 1 && onlyStar;
            return new KeyPattern(
                    glob,
                    Pattern.compile(regex.toString(), Pattern.DOTALL),
                    template ? prefix : null,
                    template ? literal.toString() : null);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "Key pattern '" + glob + "' is not a valid Redis glob: " + e.getDescription(),
                    e);
        }
    }

    /** The glob as given, for SCAN MATCH. */
    public String glob() {
        return glob;
    }

    /** Whether {@code key} matches the whole pattern. */
    public boolean matches(String key) {
        return regex.matcher(key).matches();
    }

    /**
     * The document id of {@code key}: the part a pattern's only wildcard, a {@code *}, matched
     * ({@code user:*} makes {@code user:42} into {@code 42}), or the whole key for any other
     * pattern; {@code null} when that {@code *} matched nothing ({@code user:}), since no id can be
     * made of nothing without colliding with another key's.
     */
    public String documentId(String key) {
        if (keyPrefix == null) {
            return key;
        }
        Matcher m = regex.matcher(key);
        if (!m.matches()) {
            return key;
        }
        return m.group(1).isEmpty() ? null : m.group(1);
    }

    /**
     * The keys whose document id is {@code id}: the key made from the pattern's literal text around
     * its single {@code *}, or {@code id} itself for patterns whose ids are whole keys. Only keys
     * this pattern matches are returned.
     */
    public List<String> keysFor(String id) {
        List<String> keys = new ArrayList<>(2);
        if (keyPrefix != null) {
            String key = keyPrefix + id + keySuffix;
            if (matches(key) && id.equals(documentId(key))) {
                keys.add(key);
            }
        }
        if (matches(id) && id.equals(documentId(id)) && !keys.contains(id)) {
            keys.add(id);
        }
        return keys;
    }

    @Override
    public String toString() {
        return glob;
    }
}
