package io.github.redisessync.job.mapping;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a document id is made from a key's named parts, e.g. {@code {user}:{item}}, and back. */
final class IdTemplate implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Literals and part names alternating, starting and ending with a literal. */
    private final List<String> tokens;

    private final Pattern regex;

    private IdTemplate(List<String> tokens, Pattern regex) {
        this.tokens = tokens;
        this.regex = regex;
    }

    /** Parses {@code template}; it must use every one of {@code parts} and nothing else. */
    static IdTemplate parse(String template, List<String> parts) {
        if (template == null || template.isEmpty()) {
            throw new IllegalArgumentException("An id template must not be empty.");
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        StringBuilder regex = new StringBuilder();
        List<String> used = new ArrayList<>();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{') {
                int close = template.indexOf('}', i + 1);
                String name = close < 0 ? "" : template.substring(i + 1, close);
                if (!parts.contains(name)) {
                    throw new IllegalArgumentException(
                            "Id template '"
                                    + template
                                    + "' uses {"
                                    + name
                                    + "}, which is not a part of the key pattern "
                                    + parts
                                    + ".");
                }
                if (used.contains(name)) {
                    throw new IllegalArgumentException(
                            "Id template '" + template + "' uses {" + name + "} twice.");
                }
                tokens.add(literal.toString());
                tokens.add(name);
                used.add(name);
                regex.append("(.*?)");
                literal.setLength(0);
                i = close;
            } else {
                literal.append(c);
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        tokens.add(literal.toString());
        for (String part : parts) {
            if (!used.contains(part)) {
                throw new IllegalArgumentException(
                        "Id template '"
                                + template
                                + "' leaves out the key's part {"
                                + part
                                + "}, so keys that differ only there would share one document.");
            }
        }
        return new IdTemplate(
                List.copyOf(tokens), Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    /** The id for the key's part values. */
    String render(Map<String, String> parts) {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            id.append(i % 2 == 0 ? tokens.get(i) : parts.get(tokens.get(i)));
        }
        return id.toString();
    }

    /** The part values of {@code id}, or null when it is not an id of this template. */
    Map<String, String> parse(String id) {
        Matcher m = regex.matcher(id);
        if (!m.matches()) {
            return null;
        }
        Map<String, String> parts = new HashMap<>();
        for (int i = 1; i < tokens.size(); i += 2) {
            parts.put(tokens.get(i), m.group((i + 1) / 2));
        }
        return parts;
    }
}
