package io.github.redisessync.tools.client;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One row of a rollup: its window start (epoch ms, 0 for a running total) and group values, the key
 * both sides are matched by, and its values by rollup document field ({@code count}, {@code
 * sum_amount}, ...; null where the metric has no value).
 */
public record RollupRow(long windowStart, List<String> groups, Map<String, BigDecimal> values) {

    public List<Object> key() {
        return List.of(windowStart, groups);
    }
}
