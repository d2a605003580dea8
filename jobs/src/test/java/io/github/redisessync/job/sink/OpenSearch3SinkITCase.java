package io.github.redisessync.job.sink;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;

/** The sink suite on OpenSearch 3.2.0 (Java 21 or later). */
class OpenSearch3SinkITCase extends SearchServerSinkITCase {
    OpenSearch3SinkITCase() {
        super(SearchServerInfo.Kind.OPENSEARCH, "3.2.0");
    }
}
