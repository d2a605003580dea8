package io.github.redisessync.job.mapping;

import java.io.Serializable;
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
    private final int wildcards;

    private KeyPattern(String glob, Pattern regex, int wildcards) {
        this.glob = glob;
        this.regex = regex;
        this.wildcards = wildcards;
    }

    /** Compiles {@code glob}; a malformed pattern is rejected with a message naming it. */
    public static KeyPattern of(String glob) {
        if (glob == null || glob.isEmpty()) {
            throw new IllegalArgumentException("A key pattern must not be empty.");
        }
        StringBuilder regex = new StringBuilder();
        int stars = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*':
                    regex.append("(.*)");
                    stars++;
                    break;
                case '?':
                    regex.append("(.)");
                    stars++;
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
                    i = end;
                    break;
                case '\\':
                    if (i + 1 < glob.length()) {
                        regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    } else {
                        regex.append(Pattern.quote("\\"));
                    }
                    break;
                default:
                    regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return new KeyPattern(glob, Pattern.compile(regex.toString(), Pattern.DOTALL), stars);
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
     * The document id of {@code key}: the part the single wildcard matched ({@code user:*} makes
     * {@code user:42} into {@code 42}), or the whole key when the pattern has no or several
     * wildcards, or the wildcard matched nothing.
     */
    public String documentId(String key) {
        if (wildcards != 1) {
            return key;
        }
        Matcher m = regex.matcher(key);
        if (!m.matches() || m.group(1).isEmpty()) {
            return key;
        }
        return m.group(1);
    }

    @Override
    public String toString() {
        return glob;
    }
}
