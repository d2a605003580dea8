package io.github.redisessync.job.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.embedded.ElasticsearchDistributionNode;
import io.github.redisessync.embedded.ElasticsearchHttp;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.mapping.SyncAction;
import io.github.redisessync.testing.TestServices;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep runs on a TaskManager, which need not have the client's environment or secret files: on
 * a password-protected Elasticsearch 8.19, a sweep built with the password in a file still sweeps
 * after the file is gone, as a copy shipped the way Flink ships it.
 */
class CatchUpSweepSecretsITCase {

    @TempDir Path secrets;

    @Test
    void aSweepBuiltWithAPasswordFileSweepsWhereTheFileIsMissing() throws Exception {
        String password = "es-" + UUID.randomUUID();
        try (ElasticsearchDistributionNode es =
                ElasticsearchDistributionNode.builder().basicAuth("sync", password).start()) {
            Path file = Files.writeString(secrets.resolve("es-password"), password + "\n");
            String url = "http://sync:${file:" + file + "}@127.0.0.1:" + es.port();
            String index = TestServices.uniqueName("sweep-secret");
            String prefix = TestServices.uniqueName("sweep-secret") + ":user:";
            ElasticsearchHttp http = new ElasticsearchHttp(URI.create(es.urlWithCredentials()));
            // A document whose key is not in Redis: the sweep must find it.
            http.send("PUT", "/" + index + "/_doc/gone?refresh=true", "{\"name\":\"gone\"}");
            CatchUpSweep built =
                    new CatchUpSweep(
                            TestServices.redis().uri(),
                            url,
                            List.of(
                                    new IndexRule(
                                            KeyPattern.of(prefix + "*"),
                                            index,
                                            IndexDefinition.dynamic())),
                            100);
            Files.delete(file);

            CatchUpSweep shipped =
                    InstantiationUtil.clone(built, CatchUpSweep.class.getClassLoader());
            List<DocumentAction> deletes =
                    shipped.sweep(List.of(prefix + "*")).stream()
                            .map(SyncAction::getDocument)
                            .toList();

            assertThat(deletes)
                    .extracting(DocumentAction::getOp, DocumentAction::getId)
                    .containsExactly(tuple(DocumentAction.Op.DELETE, "gone"));
        }
    }
}
