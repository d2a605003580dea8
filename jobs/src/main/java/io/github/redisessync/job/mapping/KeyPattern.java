package io.github.redisessync.job.mapping;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A key pattern: a Redis glob ({@code *}, {@code ?}, {@code [abc]}, {@code \} escapes) or a
 * template with named parts ({@code cart:{user}:{item}}); it gives the SCAN MATCH argument, routes
 * a key and makes its document id.
 *
 * <p>Ids: a template's id is its parts joined by {@code :} ({@code {user}:{item}}) or a configured
 * {@link #withIdTemplate id template}; a glob whose only wildcard is one {@code *} takes the part
 * it matched ({@code user:*} makes {@code user:42} into {@code 42}); any other glob keeps the whole
 * key. A named part matches one or more characters, the earlier ones as few as possible, so {@code
 * cart:{user}:{item}} reads {@code cart:7:a:b} as user {@code 7} and item {@code a:b}.
 */
public final class KeyPattern implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String text;
    private final String glob;
    private final Pattern regex;

    /** The named parts in key order; empty for a glob. */
    private final List<String> names;

    /** The literal text around a glob's single {@code *}, or null when the pattern is otherwise. */
    private final String keyPrefix;

    private final String keySuffix;

    /** Key template tokens, for {@link #keysFor}: literals and part names alternating. */
    private final List<String> keyTokens;

    private final IdTemplate id;

    private KeyPattern(
            String text,
            String glob,
            Pattern regex,
            List<String> names,
            String keyPrefix,
            String keySuffix,
            List<String> keyTokens,
            IdTemplate id) {
        this.text = text;
        this.glob = glob;
        this.regex = regex;
        this.names = names;
        this.keyPrefix = keyPrefix;
        this.keySuffix = keySuffix;
        this.keyTokens = keyTokens;
        this.id = id;
    }

    /** Compiles a glob or template; a malformed pattern is rejected with a message naming it. */
    public static KeyPattern of(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("A key pattern must not be empty.");
        }
        StringBuilder glob = new StringBuilder();
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        List<String> names = new ArrayList<>();
        List<String> keyTokens = new ArrayList<>();
        String prefix = null;
        int wildcards = 0;
        boolean onlyStar = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '{':
                    int close = text.indexOf('}', i + 1);
                    String name = close < 0 ? "" : text.substring(i + 1, close);
                    if (!NAME.matcher(name).matches()) {
                        throw new IllegalArgumentException(
                                "Key pattern '"
                                        + text
                                        + "' has a '{' that does not start a part such as {id}"
                                        + " (a name of letters, digits and _, then '}'); write"
                                        + " \\{ for a literal brace.");
                    }
                    if (names.contains(name)) {
                        throw new IllegalArgumentException(
                                "Key pattern '" + text + "' names the part {" + name + "} twice.");
                    }
                    names.add(name);
                    keyTokens.add(literal.toString());
                    keyTokens.add(name);
                    literal.setLength(0);
                    glob.append('*');
                    regex.append("(.*?)");
                    i = close;
                    break;
                case '*':
                    glob.append(c);
                    regex.append("(.*)");
                    wildcards++;
                    prefix = literal.toString();
                    literal.setLength(0);
                    break;
                case '?':
                    glob.append(c);
                    regex.append("(.)");
                    wildcards++;
                    onlyStar = false;
                    break;
                case '[':
                    int end = text.indexOf(']', i + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException(
                                "Key pattern '" + text + "' has a '[' without a closing ']'.");
                    }
                    glob.append(text, i, end + 1);
                    regex.append(setRegex(text.substring(i + 1, end)));
                    wildcards++;
                    onlyStar = false;
                    i = end;
                    break;
                case '\\':
                    char escaped = i + 1 < text.length() ? text.charAt(++i) : '\\';
                    // { and } are plain characters to Redis: only glob characters stay escaped.
                    glob.append("*?[]\\".indexOf(escaped) >= 0 ? "\\" + escaped : "" + escaped);
                    regex.append(Pattern.quote(String.valueOf(escaped)));
                    literal.append(escaped);
                    break;
                default:
                    glob.append(c);
                    regex.append(Pattern.quote(String.valueOf(c)));
                    literal.append(c);
            }
        }
        if (!names.isEmpty() && wildcards > 0) {
            throw new IllegalArgumentException(
                    "Key pattern '"
                            + text
                            + "' mixes named parts such as {id} with glob wildcards (* ? [...]);"
                            + " use one or the other, so that a document id leads back to its"
                            + " key.");
        }
        keyTokens.add(literal.toString());
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex.toString(), Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "Key pattern '" + text + "' is not a valid Redis glob: " + e.getDescription(),
                    e);
        }
        boolean single = names.isEmpty() && wildcards == 1 && onlyStar;
        return new KeyPattern(
                text,
                glob.toString(),
                compiled,
                List.copyOf(names),
                single ? prefix : null,
                single ? literal.toString() : null,
                List.copyOf(keyTokens),
                names.isEmpty() ? null : IdTemplate.parse(String.join(":", wrap(names)), names));
    }

    /**
     * The same pattern whose document ids are made by {@code template}, e.g. {@code {user}-{item}};
     * it must use every named part, or two keys would share an id.
     */
    public KeyPattern withIdTemplate(String template) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException(
                    "An id template needs named parts in the key pattern, such as 'order:{id}';"
                            + " pattern '"
                            + text
                            + "' has none.");
        }
        return new KeyPattern(
                text,
                glob,
                regex,
                names,
                keyPrefix,
                keySuffix,
                keyTokens,
                IdTemplate.parse(template, names));
    }

    /** The glob for SCAN MATCH ({@code cart:{user}:{item}} scans {@code cart:*:*}). */
    public String glob() {
        return glob;
    }

    /** The named parts of a template, in key order; empty for a glob. */
    public List<String> partNames() {
        return names;
    }

    /** Whether {@code key} matches the whole pattern. */
    public boolean matches(String key) {
        return regex.matcher(key).matches();
    }

    /**
     * The document id of {@code key} (see the class comment), or {@code null} when a part the id
     * needs matched nothing ({@code user:}), since an id made of nothing would collide.
     */
    public String documentId(String key) {
        Matcher m = regex.matcher(key);
        if (id != null) {
            if (!m.matches()) {
                return key;
            }
            Map<String, String> parts = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                if (m.group(i + 1).isEmpty()) {
                    return null;
                }
                parts.put(names.get(i), m.group(i + 1));
            }
            return id.render(parts);
        }
        if (keyPrefix == null || !m.matches()) {
            return key;
        }
        return m.group(1).isEmpty() ? null : m.group(1);
    }

    /**
     * The keys whose document id is {@code id}: the key built back from the id's parts, or {@code
     * id} itself for patterns whose ids are whole keys. Only keys this pattern matches and maps to
     * {@code id} are returned.
     */
    public List<String> keysFor(String documentId) {
        List<String> keys = new ArrayList<>(2);
        if (id != null) {
            Map<String, String> parts = id.parse(documentId);
            if (parts != null) {
                StringBuilder key = new StringBuilder();
                for (int i = 0; i < keyTokens.size(); i++) {
                    key.append(i % 2 == 0 ? keyTokens.get(i) : parts.get(keyTokens.get(i)));
                }
                addIfMapsTo(keys, key.toString(), documentId);
            }
            return keys;
        }
        if (keyPrefix != null) {
            addIfMapsTo(keys, keyPrefix + documentId + keySuffix, documentId);
        }
        addIfMapsTo(keys, documentId, documentId);
        return keys;
    }

    private void addIfMapsTo(List<String> keys, String key, String documentId) {
        if (matches(key) && documentId.equals(documentId(key)) && !keys.contains(key)) {
            keys.add(key);
        }
    }

    private static String setRegex(String set) {
        StringBuilder regex = new StringBuilder("([");
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
        return regex.append("])").toString();
    }

    private static List<String> wrap(List<String> names) {
        List<String> wrapped = new ArrayList<>();
        names.forEach(n -> wrapped.add("{" + n + "}"));
        return wrapped;
    }

    @Override
    public String toString() {
        return text;
    }
}
