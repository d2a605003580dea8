package io.github.redisessync.job.sink;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;
import io.github.redisessync.embedded.ElasticsearchDistributionNode;

/**
 * The sink suite on Elasticsearch 8.19.21 from the official integ-test-zip (security off), which
 * answers {@code GET /} with 405: the writer reads the version from the nodes API instead.
 */
class Elasticsearch8SinkITCase extends SearchServerSinkITCase {
    static final String VERSION = "8.19.21";

    private ElasticsearchDistributionNode es;

    @Override
    String start() {
        es = ElasticsearchDistributionNode.start(VERSION);
        return es.url();
    }

    @Override
    void stop() {
        if (es != null) {
            es.close();
        }
    }

    @Override
    SearchServerInfo expected() {
        return new SearchServerInfo(SearchServerInfo.Kind.ELASTICSEARCH, VERSION);
    }
}
