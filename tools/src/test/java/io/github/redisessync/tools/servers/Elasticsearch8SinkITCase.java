package io.github.redisessync.tools.servers;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;
import io.github.redisessync.job.sink.SearchServerSinkITCase;

/**
 * The sink suite on Elasticsearch 8.19.21, which answers {@code GET /} with 405 in its
 * integ-test-zip: the writer reads the version from the nodes API instead.
 */
class Elasticsearch8SinkITCase extends SearchServerSinkITCase {
    Elasticsearch8SinkITCase() {
        super(SearchServerInfo.Kind.ELASTICSEARCH, "8.19.21");
    }
}
