package io.github.redisessync.tools.servers;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;
import io.github.redisessync.job.sink.SearchServerSinkITCase;

/**
 * The sink suite on Elasticsearch 7.17.29, the 7.x line most users still run (Java 17 here: 7.x
 * does not start on 24 and later).
 */
class Elasticsearch7SinkITCase extends SearchServerSinkITCase {
    Elasticsearch7SinkITCase() {
        super(SearchServerInfo.Kind.ELASTICSEARCH, "7.17.29");
    }
}
