package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    void anIndexWithoutAMappingFileDetectsNumbersAndDatesInStrings() throws Exception {
        JsonNode body = new ObjectMapper().readTree(IndexDefinition.dynamic().body());

        assertThat(body.path("mappings").path("numeric_detection").asBoolean()).isTrue();
        assertThat(body.path("mappings").path("date_detection").asBoolean()).isTrue();
        // No type name under mappings, no settings: what every supported server version takes.
        assertThat(body.path("mappings").size()).isEqualTo(2);
        assertThat(body.size()).isEqualTo(1);
        assertThat(IndexDefinition.dynamic().fieldTypes()).isEmpty();
    }

    @Test
    void aMappingFileIsLeftAsTheUserWroteIt(@TempDir Path dir) throws Exception {
        String written =
                "{\"mappings\":{\"dynamic\":\"strict\",\"properties\":"
                        + "{\"age\":{\"type\":\"keyword\"}}}}";
        Path file = Files.writeString(dir.resolve("users.json"), written);

        IndexDefinition definition = IndexDefinition.fromFile(file);

        assertThat(definition.body()).isEqualTo(written);
        assertThat(definition.body()).doesNotContain("numeric_detection");
    }

    @Test
    void namesTheFileWhenItIsMissingOrBroken(@TempDir Path dir) throws Exception {
        assertRefused(dir.resolve("nope.json"), "does not exist");
        assertRefused(
                Files.writeString(
                        dir.resolve("broken.json"),
                        "{\"mappings\": {\"properties\": {\"age\": }}}"),
                "not valid JSON");
        assertRefused(
                Files.writeString(dir.resolve("typo.json"), "{\"mapping\": {}}"), "'mapping'");
    }

    private static void assertRefused(Path file, String reason) {
        assertThatThrownBy(() -> IndexDefinition.fromFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(reason);
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
