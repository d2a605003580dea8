/**
 * Dead letters, the job's side of them, all here: what the mapping makes of a record it cannot
 * write ({@link io.github.redisessync.job.deadletter.DeadLetter} and its {@link
 * io.github.redisessync.job.deadletter.DeadLetterReason}), the target {@code sink.dead-letters}
 * names ({@link io.github.redisessync.job.deadletter.DeadLetterTarget}), the record format and the
 * outputs that store them (log, index, file), and the handler of documents Elasticsearch rejects.
 *
 * <p>The Elasticsearch connector knows nothing of this package: it hands rejected documents to a
 * {@code RejectedDocumentHandler} of its own, which {@link
 * io.github.redisessync.job.deadletter.DeadLetterRejections} implements.
 */
package io.github.redisessync.job.deadletter;
