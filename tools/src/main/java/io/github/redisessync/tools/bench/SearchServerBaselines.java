package io.github.redisessync.tools.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The two baselines of {@code bench sync}, on the search server alone: its own {@code _bulk}
 * ceiling (the documents as prebuilt NDJSON bodies over two connections, nothing else to do), and
 * the seed's way of writing (one index request per record, one after the other).
 *
 * <p>Plain {@code java.net.http} on purpose: a baseline must not share the code it measures.
 */
final class SearchServerBaselines {
    private static final int BULK_DOCUMENTS = 1000;
    private static final int CONNECTIONS = 2;

    private final String url;

    SearchServerBaselines(String url) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Documents per second that {@code _bulk} takes into {@code index}, timed from first send. */
    double bulkCeiling(String index, List<String> ids, List<String> sources) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            body.append("{\"index\":{\"_index\":\"")
                    .append(index)
                    .append("\",\"_id\":\"")
                    .append(ids.get(i))
                    .append("\"}}\n")
                    .append(sources.get(i))
                    .append('\n');
            if ((i + 1) % BULK_DOCUMENTS == 0 || i == ids.size() - 1) {
                bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
                body.setLength(0);
            }
        }
        ExecutorService senders = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int first = c;
                // One client each: a connection of its own, as the sink's two writers have.
                HttpClient client = client();
                done.add(
                        senders.submit(
                                () -> {
                                    for (int b = first; b < bodies.size(); b += CONNECTIONS) {
                                        send(client, "POST", "/_bulk", bodies.get(b));
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return ids.size() / ((System.nanoTime() - start) / 1e9);
        } finally {
            senders.shutdownNow();
        }
    }

    /** Documents per second written one index request each, in order, on one connection. */
    double oneRequestPerRecord(String index, List<String> ids, List<String> sources)
            throws IOException, InterruptedException {
        HttpClient client = client();
        long start = System.nanoTime();
        for (int i = 0; i < ids.size(); i++) {
            send(
                    client,
                    "PUT",
                    "/" + index + "/_doc/" + ids.get(i),
                    sources.get(i).getBytes(StandardCharsets.UTF_8));
        }
        return ids.size() / ((System.nanoTime() - start) / 1e9);
    }

    /** The documents of {@code index} once refreshed. */
    long count(String index) throws IOException, InterruptedException {
        HttpClient client = client();
        send(client, "POST", "/" + index + "/_refresh", new byte[0]);
        String answer = send(client, "GET", "/" + index + "/_count", new byte[0]);
        int at = answer.indexOf("\"count\":");
        int end = at;
        while (end + 8 < answer.length() && Character.isDigit(answer.charAt(end + 8))) {
            end++;
        }
        return at < 0 ? -1 : Long.parseLong(answer.substring(at + 8, end + 8));
    }

    void deleteIndex(String index) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url + "/" + index))
                        .timeout(Duration.ofSeconds(60))
                        .DELETE()
                        .build();
        client().send(request, HttpResponse.BodyHandlers.discarding());
    }

    private static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private String send(HttpClient client, String method, String path, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/x-ndjson")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        String answer = response.body();
        if (response.statusCode() >= 300 || answer.startsWith("{\"took\"") && hasErrors(answer)) {
            throw new IOException(
                    method
                            + " "
                            + path
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + answer.substring(0, Math.min(300, answer.length())));
        }
        return answer;
    }

    private static boolean hasErrors(String bulkAnswer) {
        return bulkAnswer.contains("\"errors\":true");
    }
}
