package io.github.redisessync.job.cli;

import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sync}: the job on the Flink cluster this program was submitted to. */
@Command(
        name = SyncCommand.NAME,
        mixinStandardHelpOptions = true,
        description = {
            "Runs the sync job on the Flink cluster it was submitted to, e.g.",
            "  flink run redis-es-sync-jobs-<version>-job.jar sync --redis URL --es URL"
        })
public class SyncCommand implements Callable<Integer> {
    static final String NAME = "sync";

    @Mixin EndpointOptions endpoints;

    @Mixin JobOptions job;

    @Override
    public Integer call() throws Exception {
        SyncJobSetup settings = job.toSettings(endpoints.redis, endpoints.es);
        EndpointChecks.redisVersion(settings.redisUri());
        EndpointChecks.searchServer(settings.elasticsearchUrl());
        SyncJobFactory.prepareIndexes(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SyncJobFactory.configure(env, settings);
        SyncJobFactory.create(settings).addTo(env);
        env.execute("redis-es-sync");
        return 0;
    }
}
