package io.github.redisessync.tools.servers;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;
import io.github.redisessync.job.sink.SearchServerSinkITCase;

/** The sink suite on OpenSearch 3.2.0 (Java 21 or later). */
class OpenSearch3SinkITCase extends SearchServerSinkITCase {
    OpenSearch3SinkITCase() {
        super(SearchServerInfo.Kind.OPENSEARCH, "3.2.0");
    }
}
