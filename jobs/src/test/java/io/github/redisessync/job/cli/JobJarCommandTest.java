package io.github.redisessync.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The job jar's command line: {@code sync} and nothing of the tools. */
class JobJarCommandTest {

    @Test
    void helpNamesSyncAlone() {
        StringWriter out = new StringWriter();
        CommandLine cli = CommandRunner.commandLine(new JobJarCommand());
        cli.setOut(new PrintWriter(out, true));

        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("sync").doesNotContain("local", "verify", "reindex");
    }

    @Test
    void noCommandIsABadOption() {
        // The message goes to the process's stderr, as the tools' command line prints it.
        assertThat(CommandRunner.commandLine(new JobJarCommand()).execute())
                .isEqualTo(CommandRunner.EXIT_BAD_CONFIGURATION);
    }
}
