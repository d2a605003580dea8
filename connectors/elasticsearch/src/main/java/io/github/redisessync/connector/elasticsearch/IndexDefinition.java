package io.github.redisessync.connector.elasticsearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The body an index is created with ({@code settings}, {@code mappings}, {@code aliases}), read
 * from a mapping file, and the field types its mapping declares.
 */
public final class IndexDefinition implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("settings", "mappings", "aliases");

    private final String source;
    private final String body;
    private final Map<String, String> fieldTypes;

    private IndexDefinition(String source, String body, Map<String, String> fieldTypes) {
        this.source = source;
        this.body = body;
        this.fieldTypes = fieldTypes;
    }

    /**
     * The body of an index made without a mapping file. Redis holds every value as a string, so
     * plain dynamic mapping types {@code "42"} as text and an {@code avg} over it fails; {@code
     * numeric_detection} maps numeric strings as long or float. {@code date_detection} is on by
     * default and stated so that it stays on. Elasticsearch 7.17, 8 and 9 and OpenSearch 2 and 3
     * all take both under {@code mappings} without a type name.
     */
    static final String DYNAMIC_BODY =
            "{\"mappings\":{\"numeric_detection\":true,\"date_detection\":true}}";

    /**
     * An index with Elasticsearch's dynamic mapping, numbers and dates in strings detected, and no
     * declared field types.
     */
    public static IndexDefinition dynamic() {
        return new IndexDefinition(
                "dynamic mapping (numeric and date detection)", DYNAMIC_BODY, Map.of());
    }

    /** Reads a mapping file; every problem names the file. */
    public static IndexDefinition fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Mapping file " + file + " does not exist.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read mapping file " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /** Parses a mapping body; {@code source} names where it came from in error messages. */
    public static IndexDefinition parse(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "Mapping file "
                            + source
                            + " is not valid JSON: "
                            + e.getOriginalMessage()
                            + " at line "
                            + e.getLocation().getLineNr(),
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    "Mapping file " + source + " must hold a JSON object with 'mappings'.");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP_LEVEL_KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "Mapping file "
                                + source
                                + " has an unknown top-level key '"
                                + key
                                + "'; expected "
                                + TOP_LEVEL_KEYS);
            }
        }
        Map<String, String> types = new LinkedHashMap<>();
        JsonNode properties = root.path("mappings").path("properties");
        if (!properties.isMissingNode() && !properties.isObject()) {
            throw new IllegalArgumentException(
                    "Mapping file " + source + ": mappings.properties must be an object.");
        }
        properties
                .fields()
                .forEachRemaining(
                        field -> {
                            JsonNode type = field.getValue().path("type");
                            types.put(field.getKey(), type.isTextual() ? type.asText() : "object");
                        });
        return new IndexDefinition(
                source, ((ObjectNode) root).toString(), Collections.unmodifiableMap(types));
    }

    /** Where this definition came from, for messages. */
    public String source() {
        return source;
    }

    /** The JSON body of the create-index request. */
    public String body() {
        return body;
    }

    /** Top-level field name to its mapped Elasticsearch type ({@code long}, {@code date}...). */
    public Map<String, String> fieldTypes() {
        return fieldTypes;
    }
}
