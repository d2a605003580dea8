package io.github.redisessync.tools.cli;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo;

/** The tools suite on OpenSearch 2.19.1, whose bulk answers the 7.10 client could not parse. */
class OpenSearch2ToolsITCase extends SearchServerToolsITCase {
    OpenSearch2ToolsITCase() {
        super(SearchServerInfo.Kind.OPENSEARCH, "2.19.1");
    }
}
