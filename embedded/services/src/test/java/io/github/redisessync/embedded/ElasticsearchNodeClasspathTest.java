package io.github.redisessync.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Locating the forked node's classpath without loading any Elasticsearch class. */
class ElasticsearchNodeClasspathTest {

    @Test
    void theResourceNamesExistingFilesIncludingElasticsearchAndTheNodeModule() {
        List<Path> classpath = ElasticsearchNodeClasspath.resolve();

        assertThat(classpath).allSatisfy(path -> assertThat(path).exists());
        assertThat(classpath)
                .anySatisfy(
                        path ->
                                assertThat(path.getFileName())
                                        .hasToString("elasticsearch-7.10.2.jar"));
        Path nodeModule = classpath.get(classpath.size() - 1);
        assertThat(nodeModule.toString()).contains("elasticsearch-node");
    }

    @Test
    void noElasticsearchClassIsOnThisClasspath() {
        assertThatThrownBy(() -> Class.forName("org.elasticsearch.node.Node"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void findsTheJarOrDirectoryHoldingAResource() throws Exception {
        String resource = ElasticsearchNodeClasspath.RESOURCE;
        URL inJar = new URL("jar:file:/opt/my%20libs/node.jar!/" + resource);
        URL inDirectory = new URL("file:/work/node/target/classes/" + resource);

        assertThat(ElasticsearchNodeClasspath.rootOf(inJar, resource))
                .isEqualTo(Path.of("/opt/my libs/node.jar"));
        assertThat(ElasticsearchNodeClasspath.rootOf(inDirectory, resource))
                .isEqualTo(Path.of("/work/node/target/classes/"));
    }

    @Test
    void splitsTheListTheBuildWrites() {
        String listed = "/a/one.jar" + File.pathSeparator + "/b/two.jar\n";

        assertThat(ElasticsearchNodeClasspath.parse(listed))
                .containsExactly(Path.of("/a/one.jar"), Path.of("/b/two.jar"));
    }

    @Test
    void readsTheNodeVersionFromTheFilteredNodesAnswer() throws Exception {
        String body = "{\"nodes\":{\"jfNv4UKjSOeaZyVb0dfTTg\":{\"version\":\"7.10.2\"}}}";

        assertThat(ElasticsearchHttp.parseVersion(body)).isEqualTo("7.10.2");
    }

    @Test
    void keepsCredentialsOutOfTheOriginAndRejectsANonHttpUrl() {
        assertThat(
                        new ElasticsearchHttp(URI.create("http://elastic:s3cr%2Bt@es.local:9200/"))
                                .origin())
                .isEqualTo("http://es.local:9200");
        assertThatThrownBy(() -> new ElasticsearchHttp(URI.create("redis://127.0.0.1:6379")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://127.0.0.1:6379");
    }

    @Test
    void theNodeModuleHoldsTheMainClass() throws Exception {
        List<Path> classpath = ElasticsearchNodeClasspath.resolve();
        Path nodeModule = classpath.get(classpath.size() - 1);
        String mainClass = ElasticsearchNodeClasspath.MAIN_CLASS.replace('.', '/') + ".class";

        // A parentless loader only looks the file up: nothing is defined in this JVM.
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {nodeModule.toUri().toURL()}, null)) {
            assertThat(loader.getResource(mainClass)).isNotNull();
        }
    }
}
