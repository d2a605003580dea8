/**
 * Clients of the servers that more than one tool reads through: {@link
 * io.github.redisessync.tools.client.RollupSource} reads a rollup's rows as the job wrote them and
 * as Elasticsearch aggregates them live ({@code report}, and {@code local --until-synced} waiting
 * for them to agree). Documents and keys are read and written with the connectors' own clients
 * ({@code RedisKeyReader}, {@code ElasticsearchDocuments}), as the job reads and writes them.
 */
package io.github.redisessync.tools.client;
