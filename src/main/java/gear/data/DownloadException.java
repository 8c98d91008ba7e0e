package gear.data;

import java.io.IOException;

/**
 * A download that failed on the network side (HTTP error status, connection refused, timeout): the
 * run failed (exit 1) rather than the input being bad, and trying again later may succeed.
 */
public class DownloadException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message the URL and what went wrong; @param cause the network error, or null */
    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
