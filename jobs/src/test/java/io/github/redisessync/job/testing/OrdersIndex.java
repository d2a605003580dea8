package io.github.redisessync.job.testing;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;

/** The orders of the rollup tests: keys {@code <prefix>*} into an index with typed fields. */
public final class OrdersIndex {
    private static final String MAPPING =
            "{\"mappings\":{\"properties\":{"
                    + "\"created_at\":{\"type\":\"date\"},"
                    + "\"status\":{\"type\":\"keyword\"},"
                    + "\"amount\":{\"type\":\"double\"}}}}";

    private OrdersIndex() {}

    /** Keys {@code <prefix>*} into {@code index}: created_at a date, status a keyword, amount. */
    public static IndexRule rule(String prefix, String index) {
        return new IndexRule(
                KeyPattern.of(prefix + "*"), index, IndexDefinition.parse(MAPPING, "orders"));
    }
}
