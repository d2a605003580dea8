/**
 * {@code report}: the rollups as tables, and with {@code --compare} beside the live aggregation.
 */
package io.github.redisessync.tools.report;
