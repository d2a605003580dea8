package io.github.redisessync.job.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Flink session cluster as users run one: a JobManager and a TaskManager in JVMs of their own,
 * with a Flink distribution's classpath only (none of our classes), driven over its REST API.
 */
final class StandaloneFlinkCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final int restPort;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> logNames = new ArrayList<>();
    private Path conf;
    private Process taskManager;
    private int taskManagersStarted;

    /** Ids of the TaskManagers started so far: a new one is told apart from a dead one by them. */
    private final java.util.Set<String> retiredTaskManagers = new java.util.HashSet<>();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StandaloneFlinkCluster(Path directory, int restPort) {
        this.directory = directory;
        this.restPort = restPort;
    }

    /** Starts a JobManager and one TaskManager with two slots; returns once the slots are up. */
    static StandaloneFlinkCluster start(Path directory) throws Exception {
        int restPort = freePort();
        Path conf = Files.createDirectories(directory.resolve("conf"));
        Files.writeString(
                conf.resolve("config.yaml"),
                String.join(
                        "\n",
                        "jobmanager.rpc.address: localhost",
                        "jobmanager.rpc.port: " + freePort(),
                        "jobmanager.bind-host: localhost",
                        "jobmanager.memory.process.size: 768m",
                        "rest.address: localhost",
                        "rest.bind-address: localhost",
                        "rest.port: " + restPort,
                        "taskmanager.host: localhost",
                        "taskmanager.bind-host: localhost",
                        // What Flink's start scripts compute for a TaskManager; 512 MB heap in all.
                        "taskmanager.numberOfTaskSlots: 2",
                        "taskmanager.cpu.cores: 2",
                        "taskmanager.memory.framework.heap.size: 128m",
                        "taskmanager.memory.task.heap.size: 256m",
                        "taskmanager.memory.task.off-heap.size: 0m",
                        "taskmanager.memory.framework.off-heap.size: 128m",
                        "taskmanager.memory.managed.size: 64m",
                        "taskmanager.memory.network.min: 64m",
                        "taskmanager.memory.network.max: 64m",
                        "taskmanager.memory.jvm-metaspace.size: 256m",
                        "taskmanager.memory.jvm-overhead.min: 192m",
                        "taskmanager.memory.jvm-overhead.max: 192m",
                        "parallelism.default: 2",
                        // Checkpoints on disk, as a cluster keeps them, so that a job restored
                        // after a TaskManager's death reads them back from files.
                        "state.checkpoints.dir: " + directory.resolve("checkpoints").toUri(),
                        // A killed TaskManager is noticed by failed heartbeat RPCs (2 in a row),
                        // so within seconds rather than the 50 s default timeout; the timeout
                        // stays generous for a loaded 2-core machine.
                        "heartbeat.interval: 2000",
                        "heartbeat.timeout: 30000",
                        // The REST metrics are what the tests decide on (keys scanned when a
                        // TaskManager is killed mid-snapshot): fetched every second, not every 10.
                        "metrics.fetcher.update-interval: 1000",
                        "web.upload.dir: " + Files.createDirectories(directory.resolve("uploads")),
                        ""));
        StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(directory, restPort);
        cluster.conf = conf;
        try {
            cluster.fork(
                    "jobmanager",
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    conf);
            // The TaskManager retries a missing ResourceManager only every 10 s: JobManager first.
            cluster.await("/overview", overview -> true, Duration.ofSeconds(60));
            cluster.startTaskManager();
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw new IllegalStateException(
                    "The Flink cluster did not come up: " + e.getMessage() + cluster.logTails(), e);
        }
    }

    /**
     * Starts a TaskManager (the first, or one replacing a killed one) and returns once the
     * JobManager has registered it and knows of no other.
     */
    void startTaskManager() throws IOException, InterruptedException {
        String name =
                taskManagersStarted == 0 ? "taskmanager" : "taskmanager-" + taskManagersStarted;
        taskManagersStarted++;
        taskManager = fork(name, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", conf);
        // The dead one must be gone too, else the job could be scheduled onto its slots.
        JsonNode answer =
                await(
                        "/taskmanagers",
                        taskManagers ->
                                taskManagers.path("taskmanagers").size() == 1
                                        && !retiredTaskManagers.contains(
                                                taskManagers
                                                        .path("taskmanagers")
                                                        .path(0)
                                                        .path("id")
                                                        .asText())
                                        && taskManagers
                                                        .path("taskmanagers")
                                                        .path(0)
                                                        .path("slotsNumber")
                                                        .asInt()
                                                >= 2,
                        Duration.ofSeconds(90));
        retiredTaskManagers.add(answer.path("taskmanagers").path(0).path("id").asText());
    }

    /**
     * Kills the TaskManager with SIGKILL, as the kernel's OOM killer or a lost machine would: no
     * shutdown hook, no goodbye to the JobManager. Returns once the process is gone.
     */
    void killTaskManager() throws InterruptedException {
        Process victim = taskManager;
        victim.destroyForcibly(); // SIGKILL on Unix
        if (!victim.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The TaskManager survived SIGKILL for 30 s.");
        }
        processes.remove(victim);
        taskManager = null;
    }

    private Process fork(String name, String mainClass, Path conf) throws IOException {
        Path jobs = Paths.get("target");
        String classpath =
                Files.readString(jobs.resolve("cluster/classpath")).trim()
                        + ":"
                        + Files.readString(jobs.resolve("cluster/classpath-logging")).trim();
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        // The Java 17 flags Flink's scripts pass: the ones the build gives this test JVM too.
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-opens=") || flag.startsWith("--add-exports=")) {
                command.add(flag);
            }
        }
        command.add("-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile"));
        command.add("-Dredis-es-sync.test.log=" + directory.resolve(name + ".log"));
        command.add("-Dlog.file=" + directory.resolve(name + ".log"));
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.add("--configDir");
        command.add(conf.toString());
        command.removeIf(String::isEmpty);
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve(name + ".out").toFile())
                        .start();
        processes.add(process);
        logNames.add(name);
        return process;
    }

    /** The job module's shaded jar, which {@code mvn verify} builds in its package phase. */
    static Path shadedJar() throws IOException {
        try (Stream<Path> files = Files.list(Paths.get("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "No shaded *-job.jar in jobs/target: run this test"
                                                    + " with `mvn verify`, after `package`."));
        }
    }

    /** Uploads a job jar; returns the id the cluster gave it. */
    String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "----redis-es-sync-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(uri("/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        return Paths.get(answer.path("filename").asText()).getFileName().toString();
    }

    /** Runs the jar's main with {@code args} in the JobManager, as the web UI does; the job id. */
    String run(String jarId, String entryClass, List<String> args)
            throws IOException, InterruptedException {
        return run(jarId, entryClass, args, null);
    }

    /**
     * As {@link #run(String, String, List)}, restoring the job from {@code savepointPath} (a
     * retained checkpoint's {@code chk-N} directory, or null for none), as {@code flink run -s}.
     */
    String run(String jarId, String entryClass, List<String> args, String savepointPath)
            throws IOException, InterruptedException {
        ObjectNode body =
                JSON.createObjectNode()
                        .put("entryClass", entryClass)
                        .set("programArgsList", JSON.valueToTree(args));
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
        }
        String request = JSON.writeValueAsString(body);
        return send(HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(request)))
                .path("jobid")
                .asText();
    }

    /** The job's status as {@code GET /jobs/<id>} reports it. */
    JsonNode job(String jobId) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/jobs/" + jobId)).GET());
    }

    /** Cancels a running job. */
    void cancel(String jobId) throws IOException, InterruptedException {
        send(
                HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    /** {@code GET path} of the REST API. */
    JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** Polls {@code path} until {@code condition} holds; fails after {@code timeout}. */
    JsonNode await(String path, Predicate<JsonNode> condition, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            assertAlive();
            try {
                JsonNode answer = send(HttpRequest.newBuilder(uri(path)).GET());
                if (condition.test(answer)) {
                    return answer;
                }
                last = answer.toString();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250); // polling interval, not a stand-in for the condition
        }
        throw new IllegalStateException(
                "GET " + path + " did not meet the condition in " + timeout + "; last: " + last);
    }

    private void assertAlive() {
        for (Process process : processes) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "A Flink process exited with " + process.exitValue() + logTails());
            }
        }
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        request.timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException(
                    request.build().uri()
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + response.body());
        }
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + restPort + path);
    }

    /** The lines of the current TaskManager's log that contain {@code text}. */
    List<String> taskManagerLog(String text) throws IOException {
        String name =
                logNames.stream()
                        .filter(n -> n.startsWith("taskmanager"))
                        .reduce((a, b) -> b)
                        .orElseThrow(
                                () -> new IllegalStateException("No TaskManager was started."));
        try (Stream<String> lines = Files.lines(directory.resolve(name + ".log"))) {
            return lines.filter(line -> line.contains(text)).collect(Collectors.toList());
        }
    }

    /** The last lines of each process's output, for failure messages. */
    String logTails() {
        StringBuilder sb = new StringBuilder();
        for (String name : logNames) {
            for (String suffix : List.of(".out", ".log")) {
                Path file = directory.resolve(name + suffix);
                try {
                    List<String> lines = Files.readAllLines(file);
                    sb.append("\n--- ").append(file).append('\n');
                    lines.subList(Math.max(0, lines.size() - 30), lines.size())
                            .forEach(line -> sb.append(line).append('\n'));
                } catch (IOException e) {
                    // not written (yet)
                }
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
