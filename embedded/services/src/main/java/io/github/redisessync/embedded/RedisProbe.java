package io.github.redisessync.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;

/**
 * Checks that a Redis server answers and asks its version, speaking just enough RESP to need no
 * client library (the embedded module must stay free of Lettuce's netty).
 *
 * <pre>{@code
 * String version = RedisProbe.version(URI.create("redis://127.0.0.1:6379"), Duration.ofSeconds(2));
 * }</pre>
 */
public final class RedisProbe {

    private static final Pattern VERSION = Pattern.compile("(?m)^redis_version:([^\\r\\n]+)");

    private RedisProbe() {}

    /**
     * Connects to {@code redis://[[user]:password@]host:port} (or {@code rediss://} for TLS),
     * authenticates if the URI carries a password, sends PING and returns {@code redis_version}
     * from {@code INFO server}.
     *
     * @throws IOException if the server cannot be reached or answers with an error
     */
    public static String version(URI uri, Duration timeout) throws IOException {
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IOException("Expected a redis:// or rediss:// URI, was " + uri + ".");
        }
        if (uri.getHost() == null) {
            throw new IOException("The Redis URI " + uri + " names no host.");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = parts.length == 2 && !parts[0].isEmpty() ? decode(parts[0]) : null;
            password = decode(parts.length == 2 ? parts[1] : parts[0]);
        }
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        return version(uri.getHost(), port, "rediss".equals(scheme), user, password, timeout);
    }

    /** As {@link #version(URI, Duration)}, for a plain-text server and an optional password. */
    public static String version(String host, int port, String password, Duration timeout)
            throws IOException {
        return version(host, port, false, null, password, timeout);
    }

    /** As above over TLS with {@code tls} sockets (e.g. trusting a test CA); null: plain text. */
    static String version(
            String host, int port, String password, Duration timeout, SSLSocketFactory tls)
            throws IOException {
        return parseVersion(command(host, port, tls, null, password, timeout, "INFO", "server"));
    }

    private static String version(
            String host, int port, boolean tls, String user, String password, Duration timeout)
            throws IOException {
        return parseVersion(command(host, port, tls, user, password, timeout, "INFO", "server"));
    }

    /**
     * Connects, authenticates, checks PING and sends one command whose reply is a string; tests use
     * it to look at a server's configuration.
     */
    static String command(
            String host,
            int port,
            boolean tls,
            String user,
            String password,
            Duration timeout,
            String... command)
            throws IOException {
        return command(
                host,
                port,
                tls ? (SSLSocketFactory) SSLSocketFactory.getDefault() : null,
                user,
                password,
                timeout,
                command);
    }

    private static String command(
            String host,
            int port,
            SSLSocketFactory tls,
            String user,
            String password,
            Duration timeout,
            String... command)
            throws IOException {
        int timeoutMillis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = tls != null ? tls.createSocket() : new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (password != null) {
                if (user != null) {
                    call(out, in, "AUTH", user, password);
                } else {
                    call(out, in, "AUTH", password);
                }
            }
            String pong = call(out, in, "PING");
            if (!"PONG".equals(pong)) {
                throw new IOException("Expected PONG from " + host + ":" + port + ", got " + pong);
            }
            return call(out, in, command);
        }
    }

    /** Reads {@code redis_version} from an {@code INFO} answer. */
    static String parseVersion(String info) throws IOException {
        Matcher matcher = VERSION.matcher(info);
        if (!matcher.find()) {
            throw new IOException("INFO server answered without redis_version: " + info);
        }
        return matcher.group(1).trim();
    }

    private static String call(OutputStream out, InputStream in, String... command)
            throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String argument : command) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            request.writeBytes(bytes);
            request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(request.toByteArray());
        out.flush();
        return readReply(in, command[0]);
    }

    /**
     * Reads one simple-string, error, integer or bulk-string reply: all that PING/AUTH/INFO send.
     */
    static String readReply(InputStream in, String commandName) throws IOException {
        int type = in.read();
        String line = readLine(in);
        switch (type) {
            case '+':
            case ':':
                return line;
            case '-':
                throw new IOException(commandName + " failed: " + line);
            case '$':
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] body = in.readNBytes(length + 2);
                if (body.length != length + 2) {
                    throw new IOException("The connection closed in the middle of a reply.");
                }
                return new String(body, 0, length, StandardCharsets.UTF_8);
            case '*':
                int count = Integer.parseInt(line);
                StringBuilder elements = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    elements.append(i == 0 ? "" : "\n").append(readReply(in, commandName));
                }
                return elements.toString();
            case -1:
                throw new IOException("The server closed the connection.");
            default:
                throw new IOException(
                        "Unexpected reply to " + commandName + ": " + (char) type + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int next = in.read(); next != -1; next = in.read()) {
            if (previous == '\r' && next == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(next);
            previous = next;
        }
        throw new IOException("The server closed the connection.");
    }

    private static String decode(String value) {
        // URLDecoder would turn '+' into a space; in a URI's user info it is a literal '+'.
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
