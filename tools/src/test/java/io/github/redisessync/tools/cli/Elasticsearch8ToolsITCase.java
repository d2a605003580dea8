package io.github.redisessync.tools.cli;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;

/**
 * The tools suite on Elasticsearch 8.19.21, which answers {@code GET /} with 405 in its
 * integ-test-zip: the writer reads the version from the nodes API instead.
 */
class Elasticsearch8ToolsITCase extends SearchServerToolsITCase {
    Elasticsearch8ToolsITCase() {
        super(SearchServerInfo.Kind.ELASTICSEARCH, "8.19.21");
    }
}
