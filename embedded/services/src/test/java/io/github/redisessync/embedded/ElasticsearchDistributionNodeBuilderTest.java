package io.github.redisessync.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * What the builder refuses before it starts anything, and where it finds the distributions the
 * build resolved (embedded/distributions, on this module's classpath).
 */
class ElasticsearchDistributionNodeBuilderTest {

    @Test
    void findsTheZipOfEveryDistributionTheBuildResolved() {
        assertThat(ElasticsearchDistribution.zipOf(SearchServerKind.ELASTICSEARCH, "8.19.21"))
                .satisfies(zip -> assertThat(Files.isRegularFile(zip)).isTrue())
                .hasFileName("elasticsearch-8.19.21.zip");
        assertThat(ElasticsearchDistribution.zipOf(SearchServerKind.ELASTICSEARCH, "9.2.4"))
                .hasFileName("elasticsearch-9.2.4.zip");
        assertThat(ElasticsearchDistribution.zipOf(SearchServerKind.OPENSEARCH, "2.19.1"))
                .hasFileName("opensearch-2.19.1.zip");
        assertThat(ElasticsearchDistribution.zipOf(SearchServerKind.OPENSEARCH, "3.2.0"))
                .hasFileName("opensearch-3.2.0.zip");
    }

    @Test
    void aVersionNotResolvedNamesTheCoordinatesToResolve() {
        assertThatThrownBy(
                        () ->
                                ElasticsearchDistributionNode.builder(SearchServerKind.OPENSEARCH)
                                        .version("1.0.0"))
                .isInstanceOf(EmbeddedServerException.class)
                .hasMessageContaining("The OpenSearch 1.0.0 distribution is not at")
                .hasMessageContaining(
                        "mvn dependency:get"
                                + " -Dartifact=org.opensearch.distribution.integ-test-zip:opensearch:1.0.0:zip");
    }

    @Test
    void openSearchHasNoSecurityToTurnOn() {
        ElasticsearchDistributionNode.Builder builder =
                ElasticsearchDistributionNode.builder(SearchServerKind.OPENSEARCH).version("3.2.0");

        assertThatThrownBy(() -> builder.basicAuth("sync-user", "secret-password"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "basicAuth needs security, which OpenSearch's integ-test-zip does not"
                                + " have (no security plugin).");
        assertThatThrownBy(builder::apiKeys).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void openSearchNeedsAVersion() {
        assertThatThrownBy(
                        () ->
                                ElasticsearchDistributionNode.builder(SearchServerKind.OPENSEARCH)
                                        .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("version must be set for OpenSearch, e.g. 3.2.0.");
    }
}
