package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import gear.TestData;
import gear.data.Hashing;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gear datasets get} against a local HTTP server and a local mirror; never the internet. */
class DatasetsGetTest {
    static final String NAME = "freesolv_hydration";
    @TempDir
    Path dataDir;
    HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mirror/", ex -> {
            if (ex.getRequestURI().getPath().equals("/mirror/" + NAME + ".csv")) {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            } else {
                ex.sendResponseHeaders(404, -1);
                ex.close();
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/mirror";
    }

    private long filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void downloadsOverHttpVerifiesAndIsThenUpToDate() throws IOException {
        Path real = TestData.data(NAME + ".csv");
        String base = serve(Files.readAllBytes(real));
        MainTest.Result r = MainTest.run("datasets", "get", NAME, "--data-dir", dataDir.toString(), "--from", base);
        assertEquals(0, r.code(), r.err());
        Path got = dataDir.resolve(NAME + ".csv");
        assertEquals(Hashing.sha256(real), Hashing.sha256(got));
        assertTrue(r.out().contains("downloaded"), r.out());
        assertEquals(1, filesIn(dataDir), "no temporary file left");
        r = MainTest.run("datasets", "get", NAME, "--data-dir", dataDir.toString(), "--from", base);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("up to date"), r.out());
    }

    @Test
    void corruptedDownloadIsRejectedAndLeavesNothing() throws IOException {
        byte[] bytes = Files.readAllBytes(TestData.data(NAME + ".csv"));
        bytes[bytes.length / 2] ^= 1;
        String base = serve(bytes);
        MainTest.Result r = MainTest.run("datasets", "get", NAME, "--data-dir", dataDir.toString(), "--from", base);
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("checksum mismatch") && r.err().contains("expected SHA-256 3ca12d08")
                && r.err().contains("got " + Hashing.sha256(bytes)), r.err());
        assertEquals(0, filesIn(dataDir), "nothing left behind");
        assertFalse(Files.exists(dataDir.resolve(NAME + ".csv")));
    }

    @Test
    void missingRemoteFileFailsWithoutLeftovers() throws IOException {
        String base = serve(new byte[0]);
        MainTest.Result r = MainTest.run("datasets", "get", "esol_delaney_logS", "--data-dir", dataDir.toString(), "--from", base);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("404"), r.err());
        assertEquals(0, filesIn(dataDir));
    }

    @Test
    void importsFromLocalMirror() throws IOException {
        Path real = TestData.data(NAME + ".csv");
        MainTest.Result r = MainTest.run("datasets", "get", NAME, "esol_delaney_logS", "--data-dir", dataDir.toString(),
                "--from", real.getParent().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("imported"), r.out());
        assertEquals(Hashing.sha256(real), Hashing.sha256(dataDir.resolve(NAME + ".csv")));
        assertEquals(2, filesIn(dataDir));
    }

    @Test
    void unknownNameIsBadInput() {
        MainTest.Result r = MainTest.run("datasets", "get", "no_such_set", "--data-dir", dataDir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown data set 'no_such_set'"), r.err());
    }
}
