package gear.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Fetches a registry data set into a data directory with SHA-256 verification.
 *
 * <p>The source is the data set's public download URL, or {@code from}: an http(s) base URL (the
 * file name is appended) or a local mirror directory (or the file itself). Bytes are streamed into a
 * temporary file in the data directory while hashed ({@link AtomicFiles}: flushed to disk, the
 * user's umask); only a file with the registry's SHA-256 is renamed (atomically) to its final name. On a mismatch the temporary file is deleted, nothing is
 * left behind, and a {@link ChecksumMismatchException} names both hashes. A file already present
 * with the right hash is left alone ("up to date").
 */
public final class DatasetFetcher {
    private DatasetFetcher() {}

    /** What {@link #fetch} did. */
    public enum Outcome {
        /** The file was already present with the right SHA-256. */
        UP_TO_DATE,
        /** The file was downloaded over http(s). */
        DOWNLOADED,
        /** The file was copied from a local mirror. */
        IMPORTED
    }

    /**
     * The outcome of a fetch.
     *
     * @param outcome what happened
     * @param file the data set's file in the data directory
     * @param source where it came from (null when up to date)
     * @param sha256 its SHA-256
     * @param bytes its size
     */
    public record Result(Outcome outcome, Path file, String source, String sha256, long bytes) {}

    /**
     * Fetches {@code info} into {@code dataDir}.
     *
     * @param info the data set
     * @param dataDir the data directory (created if needed)
     * @param from null (public download URL), an http(s) base URL, or a local directory or file
     * @throws ChecksumMismatchException if the received bytes have another SHA-256 (nothing is left behind)
     * @throws BadInputException if no source is known or the local mirror lacks the file
     * @throws IOException on network or disk errors
     */
    public static Result fetch(DatasetInfo info, Path dataDir, String from) throws IOException {
        Files.createDirectories(dataDir);
        Path target = dataDir.resolve(info.file());
        if (Files.isRegularFile(target)) {
            String have = Hashing.sha256(target);
            if (have.equalsIgnoreCase(info.sha256())) {
                return new Result(Outcome.UP_TO_DATE, target, null, have, Files.size(target));
            }
        }
        boolean remote;
        String source;
        if (from == null || from.isBlank()) {
            if (info.downloadUrl() == null) {
                throw new BadInputException("no direct public download URL is known for '" + info.name() + "' (origin: "
                        + info.origin() + (info.originUrl() != null ? ", " + info.originUrl() : "")
                        + "); import a mirror with --from DIR_OR_URL");
            }
            source = info.downloadUrl();
            remote = true;
        } else if (from.startsWith("http://") || from.startsWith("https://")) {
            source = from.endsWith("/") ? from + info.file() : from + "/" + info.file();
            remote = true;
        } else {
            Path p = Paths.get(from);
            Path f = Files.isDirectory(p) ? p.resolve(info.file()) : p;
            if (!Files.isRegularFile(f)) {
                throw new BadInputException(f + ": no such file in the local mirror " + from);
            }
            source = f.toString();
            remote = false;
        }
        MessageDigest md = Hashing.sha256();
        long[] n = new long[1];
        String[] got = new String[1];
        try {
            AtomicFiles.write(target, out -> {
                try (InputStream in = remote ? open(source) : Files.newInputStream(Paths.get(source))) {
                    n[0] = copy(in, out, md);
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // a read failure, not a write failure of the target
                }
                got[0] = Hashing.hex(md);
                if (!got[0].equalsIgnoreCase(info.sha256())) {
                    String hint = source.equals(info.downloadUrl())
                            ? " (the origin serves the unprocessed file, while the registry pins gear's mirror format with "
                                    + "renamed columns; import a mirror with --from DIR_OR_URL)"
                            : "";
                    throw new ChecksumMismatchException("checksum mismatch for " + info.name() + " from " + source
                            + ": expected SHA-256 " + info.sha256() + ", got " + got[0] + "; nothing was written" + hint,
                            info.sha256(), got[0]);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Result(remote ? Outcome.DOWNLOADED : Outcome.IMPORTED, target, source, got[0], n[0]);
    }

    private static InputStream open(String url) throws IOException {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET().build();
        try {
            HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() != 200) {
                resp.body().close();
                throw new DownloadException("GET " + url + ": HTTP " + resp.statusCode(), null);
            }
            return resp.body();
        } catch (DownloadException e) {
            throw e;
        } catch (IOException e) {
            throw new DownloadException("GET " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("interrupted while downloading " + url, e);
        }
    }

    private static long copy(InputStream in, OutputStream out, MessageDigest md) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            md.update(buf, 0, r);
            out.write(buf, 0, r);
            n += r;
        }
        return n;
    }
}
