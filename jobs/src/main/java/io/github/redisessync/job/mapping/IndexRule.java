package io.github.redisessync.job.mapping;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import java.io.Serializable;

/**
 * Keys matching {@link #pattern()} become documents of {@link #index()} (an index or an alias),
 * shaped by {@link #shape()} and typed by it and the index's mapping.
 */
public final class IndexRule implements Serializable {
    private static final long serialVersionUID = 1L;

    private final KeyPattern pattern;
    private final String index;
    private final IndexDefinition definition;
    private final DocumentShape shape;

    /** Hashes mapped as they are ({@link DocumentShape#hashes()}). */
    public IndexRule(KeyPattern pattern, String index, IndexDefinition definition) {
        this(pattern, index, definition, DocumentShape.hashes());
    }

    public IndexRule(
            KeyPattern pattern, String index, IndexDefinition definition, DocumentShape shape) {
        if (index == null || !index.matches("[a-z0-9][a-z0-9_.+-]*")) {
            throw new IllegalArgumentException(
                    "Index name '"
                            + index
                            + "' for key pattern '"
                            + pattern
                            + "' is not valid: Elasticsearch index names are lowercase letters,"
                            + " digits and _ . + - and do not start with _ . + -.");
        }
        this.pattern = pattern;
        this.index = index;
        this.definition = definition;
        this.shape = shape;
    }

    public KeyPattern pattern() {
        return pattern;
    }

    public String index() {
        return index;
    }

    public IndexDefinition definition() {
        return definition;
    }

    public DocumentShape shape() {
        return shape;
    }

    @Override
    public String toString() {
        return pattern + " -> " + index;
    }
}
