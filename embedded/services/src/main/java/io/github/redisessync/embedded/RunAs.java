package io.github.redisessync.embedded;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;

/**
 * Running a server as an unprivileged user when this JVM runs as root (Elasticsearch refuses root):
 * the command goes through {@code runuser}, and the directories the server writes are handed over.
 */
final class RunAs {

    private static final List<Path> RUNUSER =
            List.of(Path.of("/usr/sbin/runuser"), Path.of("/sbin/runuser"));

    private RunAs() {}

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code command} as is, or, as root, run as {@code user} through {@code runuser}. */
    static List<String> command(List<String> command, String user) {
        if (!isRoot()) {
            return command;
        }
        Path runuser =
                RUNUSER.stream()
                        .filter(Files::isExecutable)
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new EmbeddedServerException(
                                                "Elasticsearch refuses to run as root, and"
                                                        + " there is no runuser ("
                                                        + RUNUSER
                                                        + ") to run it as "
                                                        + user
                                                        + ". Run the tests as another user."));
        return Stream.concat(Stream.of(runuser.toString(), "-u", user, "--"), command.stream())
                .toList();
    }

    /**
     * Gives a directory tree to {@code user}, so that a server running as that user can write it.
     * Links are changed themselves, never what they point to (a private home links to the shared
     * distribution).
     */
    static void handOver(Path root, String user) throws IOException {
        FileSystem fileSystem = root.getFileSystem();
        UserPrincipal owner =
                fileSystem.getUserPrincipalLookupService().lookupPrincipalByName(user);
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                Files.getFileAttributeView(
                                path, FileOwnerAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setOwner(owner);
            }
        }
    }
}
