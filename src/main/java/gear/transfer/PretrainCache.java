package gear.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.Hashing;
import gear.nn.SafeTensors;
import gear.train.EpochStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;

/**
 * The source pretraining shared by fine-tuning, KD and GSP-KD (and the warm start of the paired methods,
 * {@code source_init pretrained}; design/GEAR.md §6 "pretraining ... is shared between those methods"): the
 * pretrained source network, its pretraining history and its selected epoch, stored once per key under
 * {@code ROOT/<fingerprint>/}.
 *
 * <p>The key ({@link Pretraining#key}) is a text naming exactly what pretraining reads: the source
 * molecules and labels after the purge (a SHA-256 over canonical SMILES and values, in order), the seed, the
 * architecture of the source network and the options of the pretraining phase; never a target-phase option
 * such as {@code w_kd} or {@code w_curv}; and the device where it is not the CPU ({@link #deviceKey}: a pretraining
 * on a GPU is not reused by a CPU run, nor the reverse). The directory name is the first 16 hex digits of its SHA-256; the
 * full key is stored in the entry and compared on every read.
 *
 * <p>Concurrency and failures: an entry is computed under an operating-system lock on
 * {@code ROOT/<fingerprint>.lock} (released however the process ends), so when two workers (threads or separate
 * JVMs) want the same entry at once, one computes it and the other waits and then reads it. The computation
 * writes its checkpoints into {@code ROOT/<fingerprint>.work/}, so a killed computation resumes where its
 * checkpoint ends; the finished entry is written into a temporary directory and renamed into place, so a
 * reader sees a whole entry or none. An entry whose files are missing, unreadable, of another key or whose
 * weights do not match the recorded SHA-256 is reported and recomputed.
 */
public final class PretrainCache {
    /** The weights file of an entry. */
    public static final String WEIGHTS = "pretrained.safetensors";
    /** The description of an entry (key, SHA-256 of the weights, history), written last. */
    public static final String ENTRY = "entry.json";
    private static final String FORMAT = "gear-pretrain-cache";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** In-process locks: an operating-system file lock is held per JVM, not per thread. */
    private static final Map<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private final Path root;

    /** @param root the cache directory (created when first written) */
    public PretrainCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** @return the cache directory */
    public Path root() {
        return root;
    }

    /**
     * What a pretraining phase produced.
     *
     * @param weights the pretrained source network's parameters (names as in a fine-tuning model: {@code source.*})
     * @param history the pretraining epochs
     * @param bestEpoch the selected source epoch (from 0)
     * @param bestScore its source validation score (NaN without a source validation split)
     */
    public record Entry(Map<String, Tensor> weights, List<EpochStats> history, int bestEpoch, double bestScore) {}

    /**
     * An entry and how it was obtained.
     *
     * @param entry the entry
     * @param fingerprint the directory name of the entry
     * @param computed whether this call computed it (false: read from the cache)
     */
    public record Lookup(Entry entry, String fingerprint, boolean computed) {}

    /**
     * The device part of a key: nothing for the CPU (so that the keys, and entries, of CPU pretrainings are those of
     * the versions before devices were keyed), else {@code device <name>} on a line of its own ({@code cuda},
     * {@code cuda:1}: as the run names it).
     */
    public static String deviceKey(String device) {
        return device == null || device.equals("cpu") ? "" : "device " + device + "\n";
    }

    /** @return the fingerprint (directory name) of a key: the first 16 hex digits of its SHA-256 */
    public static String fingerprint(String key) {
        return Hashing.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** @return the directory of the entry of a key */
    public Path dir(String key) {
        return root.resolve(fingerprint(key));
    }

    /**
     * Returns the entry of a key, computing and storing it when it is absent or damaged.
     *
     * @param compute computes the entry; its argument is a work directory for checkpoints (kept after a kill, so
     *     that the next computation resumes)
     * @throws UncheckedIOException when the cache cannot be written
     */
    public Lookup get(String key, Function<Path, Entry> compute) {
        String fp = fingerprint(key);
        Path dir = root.resolve(fp);
        Entry e = read(dir, key, false);
        if (e != null) {
            return new Lookup(e, fp, false);
        }
        ReentrantLock local = LOCAL.computeIfAbsent(dir, k -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(root);
            try (FileChannel ch = FileChannel.open(root.resolve(fp + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                e = read(dir, key, true); // another worker may have finished it while this one waited
                if (e != null) {
                    return new Lookup(e, fp, false);
                }
                Path work = root.resolve(fp + ".work");
                Files.createDirectories(work);
                Entry made = compute.apply(work);
                write(dir, key, made);
                deleteTree(work);
                return new Lookup(made, fp, true);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the pretraining cache " + root + ": " + ex.getMessage(), ex);
        } finally {
            local.unlock();
        }
    }

    /**
     * A pretraining phase through the cache (the two-task source pretraining and the k-task pooled one): on a hit,
     * {@code params} get the stored weights; on a miss the phase runs ({@code run}, given the work directory for its
     * checkpoint {@code checkpoint}, resuming from it) and its weights ({@code params} afterwards), epochs and kept
     * epoch are stored. A checkpoint of the same key that the phase refuses (left by a run of other target-phase
     * settings: the phase's fingerprint names them) is removed and the phase starts over.
     *
     * @throws UncheckedIOException when the cache cannot be written
     */
    public Lookup phase(String key, gear.nn.Params params, String checkpoint, Function<Path, gear.train.Engine.Result> run) {
        Lookup l = get(key, work -> {
            gear.train.Engine.Result r;
            try {
                r = run.apply(work);
            } catch (gear.data.BadInputException e) {
                deleteRefused(work.resolve(checkpoint));
                r = run.apply(work);
            }
            return new Entry(params.snapshot(), r.history(), r.bestEpoch(), r.bestScore());
        });
        if (!l.computed()) {
            params.copyFrom(l.entry().weights());
        }
        return l;
    }

    /**
     * Deletes a checkpoint that the pretraining phase refused (written with other settings or data, or damaged).
     *
     * @throws UncheckedIOException naming the file, why it cannot be deleted and what to do (its
     *     cause a {@link java.nio.file.FileSystemException} of the file, so that the command's message names it)
     */
    static void deleteRefused(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException io) {
            String reason = "a checkpoint of the pretraining cache that this run refused (written with other settings or "
                    + "data, or damaged) and cannot delete (" + (io instanceof java.nio.file.DirectoryNotEmptyException ? "a directory, not empty"
                    : io instanceof java.nio.file.AccessDeniedException ? "permission denied" : io.getMessage())
                    + "); delete it by hand (its pretraining then starts over)"
                    + " and run again";
            java.nio.file.FileSystemException fs = new java.nio.file.FileSystemException(file.toString(), null, reason);
            fs.initCause(io);
            throw new UncheckedIOException(file + ": " + reason, fs);
        }
    }

    /** @return the entry in {@code dir} if it is whole and of this key, else null (a damaged one is reported) */
    private static Entry read(Path dir, String key, boolean report) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(dir.resolve(ENTRY).toFile());
            if (n == null || !FORMAT.equals(n.path("format").asText()) || !key.equals(n.path("key").asText())) {
                throw new IOException("entry of another key or format");
            }
            Path w = dir.resolve(WEIGHTS);
            if (!Hashing.sha256(w).equals(n.path("weights_sha256").asText())) {
                throw new IOException("weights do not match their recorded SHA-256");
            }
            SafeTensors.Content c = SafeTensors.read(w);
            List<EpochStats> history = new ArrayList<>();
            for (JsonNode h : n.get("history")) {
                Map<String, Double> terms = new LinkedHashMap<>();
                h.get("terms").fields().forEachRemaining(t -> terms.put(t.getKey(), t.getValue().asDouble()));
                history.add(new EpochStats(h.get("phase").asText(), h.get("epoch").asInt(), h.get("epochs").asInt(), terms,
                        h.get("val_score").asDouble(), h.get("lr").asDouble(), h.get("seconds").asDouble(),
                        h.get("improved").asBoolean()));
            }
            return new Entry(c.tensors(), List.copyOf(history), n.get("best_epoch").asInt(),
                    n.get("best_score").asDouble());
        } catch (IOException | RuntimeException ex) {
            if (report) {
                System.err.println("warning: pretraining cache entry " + dir + " is damaged (" + ex.getMessage()
                        + "); computing it again");
            }
            return null;
        }
    }

    private void write(Path dir, String key, Entry e) throws IOException {
        Path tmp = root.resolve(dir.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectories(tmp);
        Path w = tmp.resolve(WEIGHTS);
        SafeTensors.write(w, e.weights(), Map.of("format", FORMAT));
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("key", key);
        n.put("weights_sha256", Hashing.sha256(w));
        n.put("best_epoch", e.bestEpoch());
        n.put("best_score", e.bestScore());
        ArrayNode h = n.putArray("history");
        for (EpochStats s : e.history()) {
            ObjectNode x = h.addObject();
            x.put("phase", s.phase());
            x.put("epoch", s.epoch());
            x.put("epochs", s.epochs());
            ObjectNode terms = x.putObject("terms");
            s.terms().forEach(terms::put);
            x.put("val_score", s.valScore());
            x.put("lr", s.lr());
            x.put("seconds", s.seconds());
            x.put("improved", s.improved());
        }
        Files.writeString(tmp.resolve(ENTRY), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n),
                StandardCharsets.UTF_8);
        if (Files.exists(dir)) {
            deleteTree(dir); // damaged (a whole entry of this key was read before computing)
        }
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException ex) {
            Files.move(tmp, dir);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
