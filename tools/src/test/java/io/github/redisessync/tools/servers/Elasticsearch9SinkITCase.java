package io.github.redisessync.tools.servers;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;
import io.github.redisessync.job.sink.SearchServerSinkITCase;

/**
 * The sink suite on Elasticsearch 9.2.4, which refused every bulk of the 7.10 client ({@code
 * media_type_header_exception}) that this sink replaced.
 */
class Elasticsearch9SinkITCase extends SearchServerSinkITCase {
    Elasticsearch9SinkITCase() {
        super(SearchServerInfo.Kind.ELASTICSEARCH, "9.2.4");
    }
}
