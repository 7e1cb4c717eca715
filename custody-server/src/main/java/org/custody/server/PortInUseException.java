package org.custody.server;

/**
 * The server cannot listen because another process holds its address and port. Nothing was left open or written by
 * the failed start; the message names the address and port in Chinese and English.
 */
public final class PortInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;

    PortInUseException(String host, int port, Throwable cause) {
        super("端口 " + port + "（" + host + "）已被其他进程占用，服务未启动 / port " + port + " on " + host
                + " is already in use by another process; the server did not start. Stop that process or choose another port"
                + " with --port (0 picks a free one).", cause);
        this.host = host;
        this.port = port;
    }

    /** The address the server was to listen on. */
    public String host() {
        return host;
    }

    /** The port that is in use. */
    public int port() {
        return port;
    }
}
