package io.github.redisessync.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test plugin compiles against the distribution the build resolved, and a private home links
 * the shared distribution without ever letting its removal reach into it.
 */
class SecurityIndexPluginTest {

    @TempDir Path dir;

    @Test
    void compilesIntoAPrivateHomeWhoseRemovalLeavesTheSharedDistribution() throws Exception {
        ElasticsearchDistribution distribution =
                ElasticsearchDistribution.of(
                        SearchServerKind.ELASTICSEARCH, ElasticsearchDistribution.defaultVersion());
        Path home = SecurityIndexPlugin.installInto(distribution, dir.resolve("home"));

        Path plugin = home.resolve("plugins").resolve(SecurityIndexPlugin.NAME);
        try (JarFile jar =
                new JarFile(plugin.resolve(SecurityIndexPlugin.NAME + ".jar").toFile())) {
            assertThat(
                            jar.getEntry(
                                    "io/github/redisessync/embedded/plugin/"
                                            + "SecurityIndexAnalysisPlugin.class"))
                    .isNotNull();
        }
        assertThat(Files.readString(plugin.resolve("plugin-descriptor.properties")))
                .contains("elasticsearch.version=" + distribution.version());
        assertThat(home.resolve("bin/elasticsearch")).exists();
        assertThat(Files.isSymbolicLink(home.resolve("lib"))).isTrue();

        ProcessSupport.deleteRecursively(home);

        assertThat(home).doesNotExist();
        assertThat(distribution.home().resolve("lib")).isDirectory();
        assertThat(distribution.home().resolve("bin/elasticsearch")).exists();
    }
}
