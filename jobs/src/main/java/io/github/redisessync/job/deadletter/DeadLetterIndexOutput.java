package io.github.redisessync.job.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters to the dead-letter index in bulk requests, when the writer flushes.
 *
 * <p>The {@code _id} of each is its {@link DeadLetterRecord#deadLetterId()}, so a record written
 * again after a restore overwrites its earlier copy instead of adding one. A request lost on the
 * connection or refused as overloaded (429, 502-504), and items refused as overloaded, are sent
 * again with the sink's backoff; when the retries are spent, {@link #flush()} fails and with it the
 * checkpoint, and the job restarts from the last one. An item Elasticsearch refuses for good (the
 * index was changed to a mapping the record does not fit, a closed index) would refuse it on every
 * restart: it is counted as a failure and logged at ERROR with the whole record instead.
 *
 * <p>Plain JSON over the low-level client: unlike the 7.10 high-level client, nothing here needs
 * the REST compatibility headers of 8.x, whose answers to {@code _bulk} it reads as they are.
 */
final class DeadLetterIndexOutput extends BufferedDeadLetterOutput {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterIndexOutput.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    private final String index;
    private final int maxRetries;
    private final long firstDelayMillis;
    private final Counter written;
    private final Counter failures;
    private boolean indexChecked;

    DeadLetterIndexOutput(
            RestClient client,
            String index,
            int maxRetries,
            long firstDelayMillis,
            Counter written,
            Counter failures) {
        this.client = client;
        this.index = index;
        this.maxRetries = maxRetries;
        this.firstDelayMillis = firstDelayMillis;
        this.written = written;
        this.failures = failures;
    }

    @Override
    void store(List<DeadLetterRecord> batch) throws IOException {
        if (!indexChecked) {
            // Also when the job did not create it (reindex, tests): our mapping, not a dynamic one.
            createIndexIfAbsent();
            indexChecked = true;
        }
        List<DeadLetterRecord> left = batch;
        for (int attempt = 0; !left.isEmpty(); attempt++) {
            if (attempt > 0) {
                if (attempt > maxRetries) {
                    failures.inc(left.size());
                    throw new IOException(
                            "Cannot write "
                                    + left.size()
                                    + " dead letters to index "
                                    + index
                                    + " after "
                                    + maxRetries
                                    + " retries.");
                }
                pause(attempt);
            }
            left = send(left);
        }
    }

    /** Sends one bulk request; returns the records to send again. */
    private List<DeadLetterRecord> send(List<DeadLetterRecord> records) throws IOException {
        StringBuilder body = new StringBuilder();
        for (DeadLetterRecord record : records) {
            ObjectNode action = JSON.createObjectNode();
            action.putObject("index").put("_index", index).put("_id", record.deadLetterId());
            body.append(action).append('\n').append(record.toJsonLine()).append('\n');
        }
        Request request = new Request("POST", "/_bulk");
        request.setEntity(
                new NStringEntity(
                        body.toString(), ContentType.create("application/x-ndjson", "UTF-8")));
        JsonNode response;
        try {
            response =
                    JSON.readTree(EntityUtils.toString(client.performRequest(request).getEntity()));
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            if (isTransient(status)) {
                LOG.warn("Dead-letter bulk to {} refused with {}; will retry.", index, status);
                return records;
            }
            failures.inc(records.size());
            throw new IOException("Elasticsearch refused the dead-letter bulk to " + index, e);
        } catch (IOException e) {
            LOG.warn("Dead-letter bulk to {} failed ({}); will retry.", index, e.toString());
            return records;
        }
        List<DeadLetterRecord> again = new ArrayList<>();
        JsonNode items = response.path("items");
        for (int i = 0; i < records.size(); i++) {
            JsonNode item = items.path(i).path("index");
            int status = item.path("status").asInt(500);
            if (status < 300) {
                written.inc();
            } else if (isTransient(status)) {
                again.add(records.get(i));
            } else {
                failures.inc();
                LOG.error(
                        "Elasticsearch refused dead letter {} in index {} ({}): {}",
                        records.get(i).toJsonLine(),
                        index,
                        status,
                        item.path("error"));
            }
        }
        return again;
    }

    private void createIndexIfAbsent() throws IOException {
        // HEAD answers 404 as a response, not an exception.
        if (client.performRequest(new Request("HEAD", "/" + index)).getStatusLine().getStatusCode()
                == 200) {
            return;
        }
        Request create = new Request("PUT", "/" + index);
        create.setEntity(
                new NStringEntity(DeadLetterRecord.INDEX_BODY, ContentType.APPLICATION_JSON));
        try {
            client.performRequest(create);
            LOG.info("Created dead-letter index {}.", index);
        } catch (ResponseException e) {
            String reason = EntityUtils.toString(e.getResponse().getEntity());
            if (!reason.contains("resource_already_exists_exception")) {
                throw e;
            }
        }
    }

    private static boolean isTransient(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    private void pause(int attempt) throws IOException {
        try {
            Thread.sleep(firstDelayMillis << Math.min(attempt - 1, 20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while writing dead letters to " + index, e);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
