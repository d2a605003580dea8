package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.elasticsearch.SearchServerInfo.Kind;
import org.junit.jupiter.api.Test;

class SearchServerInfoTest {

    @Test
    void elasticsearchSixIsRefusedNamingTheServerAndWhatWouldWork() {
        SearchServerInfo six = new SearchServerInfo(Kind.ELASTICSEARCH, "6.8.23");
        assertThat(six.supported()).isFalse();
        assertThatThrownBy(() -> six.requireSupported("http://es:9200"))
                .isInstanceOf(ElasticsearchAccessException.class)
                .hasMessageContaining("http://es:9200 is Elasticsearch 6.8.23")
                .hasMessageContaining("Elasticsearch 7.10 or later, and OpenSearch");
    }

    @Test
    void everyTestedLineIsSupported() {
        assertThat(new SearchServerInfo(Kind.ELASTICSEARCH, "7.17.29").supported()).isTrue();
        assertThat(new SearchServerInfo(Kind.ELASTICSEARCH, "9.2.4").supported()).isTrue();
        assertThat(new SearchServerInfo(Kind.OPENSEARCH, "2.19.1").supported()).isTrue();
        assertThat(new SearchServerInfo(Kind.OPENSEARCH, "3.2.0").major()).isEqualTo(3);
        assertThat(new SearchServerInfo(Kind.ELASTICSEARCH, "not-a-version").major()).isZero();
    }
}
