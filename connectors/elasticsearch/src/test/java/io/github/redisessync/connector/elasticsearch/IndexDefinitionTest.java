package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexDefinitionTest {

    @Test
    void readsTheDeclaredFieldTypes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.json");
        Files.writeString(
                file,
                "{\"settings\":{\"number_of_replicas\":0},\"mappings\":{\"properties\":{"
                        + "\"age\":{\"type\":\"integer\"},\"name\":{\"type\":\"text\"},"
                        + "\"address\":{\"properties\":{\"city\":{\"type\":\"keyword\"}}}}}}");
        IndexDefinition definition = IndexDefinition.fromFile(file);
        assertThat(definition.fieldTypes())
                .containsEntry("age", "integer")
                .containsEntry("name", "text")
                .containsEntry("address", "object");
        assertThat(definition.body()).contains("\"number_of_replicas\":0");
        assertThat(definition.source()).isEqualTo(file.toString());
    }

    @Test
    void namesTheFileWhenItIsMissingOrBroken(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> IndexDefinition.fromFile(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"mappings\": {\"properties\": {\"age\": }}}");
        assertThatThrownBy(() -> IndexDefinition.fromFile(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(broken.toString())
                .hasMessageContaining("not valid JSON");

        Path wrongKey = dir.resolve("typo.json");
        Files.writeString(wrongKey, "{\"mapping\": {}}");
        assertThatThrownBy(() -> IndexDefinition.fromFile(wrongKey))
                .hasMessageContaining(wrongKey.toString())
                .hasMessageContaining("'mapping'");
    }

    @Test
    void parsesElasticsearchUrlsAndHidesCredentials() {
        assertThat(ElasticsearchUrls.parse("http://localhost:9201").getPort()).isEqualTo(9201);
        assertThat(ElasticsearchUrls.parse("https://es.example.com").getPort()).isEqualTo(9200);
        assertThatThrownBy(() -> ElasticsearchUrls.parse("ftp://user:secret@host:21"))
                .hasMessageContaining("ftp://***@host:21")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ElasticsearchUrls.parse("localhost:9200"))
                .hasMessageContaining("'localhost:9200'");
    }
}
