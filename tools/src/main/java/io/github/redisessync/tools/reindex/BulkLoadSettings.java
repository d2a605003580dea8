package io.github.redisessync.tools.reindex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The settings a reindex loads a fresh index with ({@code refresh_interval: -1}, no replicas) and
 * the ones it restores afterwards: the mapping file's values, or Elasticsearch's defaults.
 */
final class BulkLoadSettings {
    static final String REFRESH_INTERVAL = "refresh_interval";
    static final String NUMBER_OF_REPLICAS = "number_of_replicas";

    private final ObjectNode loadBody;
    private final ObjectNode restore;

    private BulkLoadSettings(ObjectNode loadBody, ObjectNode restore) {
        this.loadBody = loadBody;
        this.restore = restore;
    }

    /** Splits {@code definition}'s body into the bulk-load body and the settings to restore. */
    static BulkLoadSettings of(IndexDefinition definition) {
        ObjectNode body;
        try {
            body = (ObjectNode) ElasticsearchAliases.JSON.readTree(definition.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable index definition " + definition.source(), e);
        }
        ObjectNode settings =
                body.get("settings") instanceof ObjectNode
                        ? (ObjectNode) body.get("settings")
                        : body.putObject("settings");
        ObjectNode index =
                settings.get("index") instanceof ObjectNode
                        ? (ObjectNode) settings.get("index")
                        : settings.putObject("index");
        ObjectNode restore = ElasticsearchAliases.JSON.createObjectNode();
        for (String key : new String[] {REFRESH_INTERVAL, NUMBER_OF_REPLICAS}) {
            // A mapping file may write a setting in any of Elasticsearch's three spellings.
            JsonNode value = index.remove(key);
            JsonNode flat = settings.remove(key);
            JsonNode dotted = settings.remove("index." + key);
            JsonNode chosen = value != null ? value : flat != null ? flat : dotted;
            // null resets the setting to Elasticsearch's default.
            restore.set(key, chosen == null ? ElasticsearchAliases.JSON.nullNode() : chosen);
        }
        index.put(REFRESH_INTERVAL, "-1");
        index.put(NUMBER_OF_REPLICAS, 0);
        return new BulkLoadSettings(body, restore);
    }

    /** The create-index body: the mapping file's, with the bulk-load settings. */
    String loadBody() {
        return loadBody.toString();
    }

    /** {@code refresh_interval} and {@code number_of_replicas} as the mapping file has them. */
    ObjectNode restore() {
        return restore.deepCopy();
    }
}
