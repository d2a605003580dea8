package io.github.redisessync.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Gives a node of the integ-test-zip a {@code .security} index, so that it can create API keys: the
 * index's analyzer needs {@code pattern_capture}, {@code unique} and {@code uax_url_email}, which
 * live in the {@code analysis-common} module the zip leaves out (creating an API key fails with
 * "Unknown filter type [pattern_capture] for [email]"), and no module of that version is published
 * on Maven Central.
 *
 * <p>So a three-component plugin ({@code security-index-analysis/SecurityIndexAnalysisPlugin.java},
 * a resource) is compiled here against the distribution's own jars, with the JDK's compiler, and
 * installed into a private home: {@code bin}, {@code lib} and {@code modules} are links to the
 * shared, read-only distribution, {@code plugins} is the node's own.
 */
final class SecurityIndexPlugin {

    static final String NAME = "security-index-analysis";
    private static final String SOURCE = NAME + "/SecurityIndexAnalysisPlugin.java";
    private static final String CLASS_NAME =
            "io.github.redisessync.embedded.plugin.SecurityIndexAnalysisPlugin";

    private SecurityIndexPlugin() {}

    /**
     * Creates {@code home} for {@code distribution} with the plugin installed; the node is started
     * with {@code home/bin/elasticsearch}, which takes its home from the path it was started by.
     */
    static Path installInto(ElasticsearchDistribution distribution, Path home) throws IOException {
        if (distribution.major() < 8) {
            throw new EmbeddedServerException(
                    "API keys on a test node need Elasticsearch 8 or later (Lucene 9's analysis"
                            + " packages), not "
                            + distribution.version()
                            + ".");
        }
        Files.createDirectories(home);
        for (String shared : List.of("bin", "lib", "modules")) {
            Files.createSymbolicLink(home.resolve(shared), distribution.home().resolve(shared));
        }
        Path plugin = Files.createDirectories(home.resolve("plugins").resolve(NAME));
        Path classes = Files.createDirectories(home.resolve("plugin-classes"));
        compile(distribution, classes);
        writeJar(classes, plugin.resolve(NAME + ".jar"));
        Files.writeString(
                plugin.resolve("plugin-descriptor.properties"),
                "description=Test-only analysis components the .security index needs\n"
                        + "version=1.0\n"
                        + "name="
                        + NAME
                        + "\nclassname="
                        + CLASS_NAME
                        + "\njava.version=17\n"
                        + "elasticsearch.version="
                        + distribution.version()
                        + "\n");
        return home;
    }

    private static void compile(ElasticsearchDistribution distribution, Path classes)
            throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new EmbeddedServerException(
                    "API keys on a test node need a JDK (its compiler builds a test plugin), but "
                            + System.getProperty("java.home")
                            + " is a runtime only.");
        }
        Path source = classes.resolve("SecurityIndexAnalysisPlugin.java");
        try (InputStream in = SecurityIndexPlugin.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The resource " + SOURCE + " is missing.");
            }
            Files.copy(in, source);
        }
        String classpath;
        try (Stream<Path> jars = Files.list(distribution.home().resolve("lib"))) {
            classpath =
                    jars.filter(jar -> jar.toString().endsWith(".jar"))
                            .map(Path::toString)
                            .collect(Collectors.joining(java.io.File.pathSeparator));
        }
        StringWriter errors = new StringWriter();
        try (var files = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean compiled =
                    compiler.getTask(
                                    errors,
                                    files,
                                    null,
                                    List.of(
                                            "--release",
                                            "17",
                                            "-proc:none",
                                            "-classpath",
                                            classpath,
                                            "-d",
                                            classes.toString()),
                                    null,
                                    files.getJavaFileObjects(source))
                            .call();
            if (!compiled) {
                throw new EmbeddedServerException(
                        "The test plugin "
                                + NAME
                                + " does not compile against Elasticsearch "
                                + distribution.version()
                                + ":\n"
                                + errors);
            }
        }
        Files.delete(source);
    }

    private static void writeJar(Path classes, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream entries = new JarOutputStream(out);
                Stream<Path> tree = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) tree.filter(Files::isRegularFile)::iterator) {
                entries.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, entries);
                entries.closeEntry();
            }
        }
    }
}
