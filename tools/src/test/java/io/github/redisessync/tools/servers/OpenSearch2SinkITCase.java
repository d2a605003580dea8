package io.github.redisessync.tools.servers;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;
import io.github.redisessync.job.sink.SearchServerSinkITCase;

/** The sink suite on OpenSearch 2.19.1, whose bulk answers the 7.10 client could not parse. */
class OpenSearch2SinkITCase extends SearchServerSinkITCase {
    OpenSearch2SinkITCase() {
        super(SearchServerInfo.Kind.OPENSEARCH, "2.19.1");
    }
}
