package io.github.redisessync.job.cli;

import picocli.CommandLine.Option;

/** {@code --redis} and {@code --es} of the commands that talk to servers someone else runs. */
public class EndpointOptions {

    @Option(
            names = "--redis",
            paramLabel = "URL",
            description =
                    "redis://[user:password@]host:port[/db] (redis.url, env REDIS_URL); required"
                            + " unless the configuration names it.")
    public String redis;

    @Option(
            names = "--es",
            paramLabel = "URL",
            description =
                    "http[s]://host:port (elasticsearch.url, env ES_URL); required unless the"
                            + " configuration names it.")
    public String es;
}
