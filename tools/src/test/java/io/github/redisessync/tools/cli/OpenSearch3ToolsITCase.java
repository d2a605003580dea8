package io.github.redisessync.tools.cli;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;

/** The tools suite on OpenSearch 3.2.0 (Java 21 or later). */
class OpenSearch3ToolsITCase extends SearchServerToolsITCase implements SweepAndReportSuite {
    OpenSearch3ToolsITCase() {
        super(SearchServerInfo.Kind.OPENSEARCH, "3.2.0");
    }
}
