package io.github.redisessync.tools.cli;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;

/**
 * The tools suite on Elasticsearch 9.2.4, which refused every bulk of the 7.10 client ({@code
 * media_type_header_exception}) that this sink replaced.
 */
class Elasticsearch9ToolsITCase extends SearchServerToolsITCase implements SweepAndReportSuite {
    Elasticsearch9ToolsITCase() {
        super(SearchServerInfo.Kind.ELASTICSEARCH, "9.2.4");
    }
}
