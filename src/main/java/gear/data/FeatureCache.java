package gear.data;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import gear.chem.MolGraph;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Featurization with two cache levels, so that each molecule is turned into a {@link MolGraph} once.
 *
 * <p>In memory: graphs live in the loaded {@link MoleculeDataset} (shared by its subsets), so
 * repeated epochs and runs in one process never re-parse. On disk: a compact binary file per data
 * set in a cache directory (default {@code ~/.cache/gear/features}), named by the SHA-256 of the
 * source file's SHA-256, the SMILES column and the {@linkplain #featurizerVersion() featurizer
 * version}; written atomically; a file that does not read back exactly (bad magic, version, CRC,
 * SMILES) is ignored with a warning and rebuilt.
 *
 * <p>File layout (big-endian): magic {@code GEARFEAT}, int format version, then strings (int
 * length + UTF-8 bytes) featurizer version, source SHA-256, SMILES column, int n, then per
 * molecule: string SMILES, int atoms, int bonds, sparse atom features, int[] bond begin, int[] bond end, sparse bond
 * features; then the CRC-32 of all preceding bytes as a long. A sparse float array is its
 * non-zero count followed by, per non-zero, {@code index·2 + (value ≠ 1)} and the value if ≠ 1.
 */
public final class FeatureCache {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
    private static final byte[] MAGIC = "GEARFEAT".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT = 1;
    private static final String[] PROBES = {"CCO", "c1ccccc1O", "C[C@H](N)C(=O)O", "[NH4+]", "C=CC#N",
        "O=S(=O)(O)c1ccc(Cl)cc1", "FC(F)(F)Br", "c1ccncc1", "C/C=C/C", "[O-][N+](=O)c1ccccc1", "B(O)O", "[2H]C"};
    private static volatile String version;

    private FeatureCache() {}

    /**
     * What a featurization call did.
     *
     * @param molecules molecules in the data set
     * @param featurized graphs computed now
     * @param fromDisk graphs read from the disk cache
     * @param inMemory graphs that were already in memory
     * @param seconds wall time of the call
     * @param cacheFile the disk cache file (null without a cache directory)
     * @param warnings problems met (corrupt cache file, failed write)
     */
    public record Stats(int molecules, int featurized, int fromDisk, int inMemory, double seconds, Path cacheFile,
            List<String> warnings) {}

    /** @return {@code ~/.cache/gear/features} */
    public static Path defaultDir() {
        return Paths.get(System.getProperty("user.home"), ".cache", "gear", "features");
    }

    /**
     * A fingerprint of the featurizer: SHA-256 (first 16 hex digits) of the graphs of a fixed set of
     * probe molecules and the feature widths, so that any change of the featurization invalidates
     * disk caches without a hand-maintained version number.
     */
    public static String featurizerVersion() {
        String v = version;
        if (v == null) {
            MessageDigest md = Hashing.sha256();
            md.update((MolGraph.ATOM_FDIM + "/" + MolGraph.BOND_FDIM).getBytes(StandardCharsets.UTF_8));
            for (String p : PROBES) {
                try {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    writeGraph(new DataOutputStream(b), Chem.featurize(p));
                    md.update(b.toByteArray());
                } catch (InvalidSmilesException | IOException | RuntimeException e) {
                    md.update(("error " + p).getBytes(StandardCharsets.UTF_8));
                }
            }
            v = Hashing.hex(md).substring(0, 16);
            version = v;
        }
        return v;
    }

    /**
     * Makes sure every molecule of {@code ds} has its graph in memory, reading the disk cache when
     * possible and writing it after featurizing.
     *
     * @param ds the data set (or a subset; the disk cache always holds the whole loaded set)
     * @param threads featurization threads (1 = this thread only)
     * @param cacheDir disk cache directory, or null for memory only
     * @throws BadInputException if a molecule cannot be featurized (names its file and line)
     */
    public static Stats featurize(MoleculeDataset ds, int threads, Path cacheDir) {
        long t0 = System.nanoTime();
        GraphStore store = ds.store();
        int[] si = ds.storeIndex();
        List<String> warnings = new ArrayList<>();
        int inMemory = 0;
        for (int i = 0; i < ds.size(); i++) {
            if (store.get(si[i]) != null) {
                inMemory++;
            }
        }
        Path file = cacheDir == null ? null : cacheFile(cacheDir, store);
        int fromDisk = 0;
        if (inMemory < ds.size() && file != null && Files.isRegularFile(file)) {
            try {
                fromDisk = read(file, store);
                int missingBefore = ds.size() - inMemory;
                fromDisk = Math.min(fromDisk, missingBefore);
            } catch (IOException | RuntimeException e) {
                String w = "feature cache " + file + " is unreadable or stale (" + e.getMessage() + "); rebuilding it";
                LOG.warn(w);
                warnings.add(w);
                fromDisk = 0;
            }
        }
        int[] missing = IntStream.range(0, ds.size()).filter(i -> store.get(si[i]) == null).toArray();
        if (missing.length > 0) {
            if (threads <= 1) {
                for (int i : missing) {
                    ds.graph(i);
                }
            } else {
                ForkJoinPool pool = new ForkJoinPool(threads);
                try {
                    pool.submit(() -> IntStream.of(missing).parallel().forEach(ds::graph)).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("featurization interrupted", e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } finally {
                    pool.shutdown();
                }
            }
            if (file != null && store.complete()) {
                try {
                    write(file, store);
                } catch (IOException | RuntimeException e) {
                    String w = "cannot write feature cache " + file + ": " + e.getMessage();
                    LOG.warn(w);
                    warnings.add(w);
                }
            }
        }
        return new Stats(ds.size(), missing.length, fromDisk, inMemory, (System.nanoTime() - t0) / 1e9, file, warnings);
    }

    /** @return the cache file of a loaded data set in {@code dir} */
    public static Path cacheFile(Path dir, MoleculeDataset ds) {
        return cacheFile(dir, ds.store());
    }

    private static Path cacheFile(Path dir, GraphStore store) {
        String key = Hashing.sha256((store.sourceSha256 + "\0" + store.smilesColumn + "\0" + featurizerVersion() + "\0" + FORMAT)
                .getBytes(StandardCharsets.UTF_8));
        return dir.resolve(key.substring(0, 32) + ".gfeat");
    }

    private static void write(Path file, GraphStore store) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(FORMAT);
        writeString(out, featurizerVersion());
        writeString(out, store.sourceSha256);
        writeString(out, store.smilesColumn);
        out.writeInt(store.size());
        for (int i = 0; i < store.size(); i++) {
            writeString(out, store.smiles.get(i));
            writeGraph(out, store.get(i));
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        AtomicFiles.write(file, bytes.toByteArray());
    }

    private static int read(Path file, GraphStore store) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 12) {
            throw new IOException("file too short");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        ByteBuffer in = ByteBuffer.wrap(all);
        expect(in.getLong(all.length - 8) == crc.getValue(), "CRC-32");
        in.limit(all.length - 8);
        MolGraph[] graphs = new MolGraph[store.size()];
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a feature cache file");
            }
            expect(in.getInt() == FORMAT, "format version");
            expect(readString(in).equals(featurizerVersion()), "featurizer version");
            expect(readString(in).equals(store.sourceSha256), "source SHA-256");
            expect(readString(in).equals(store.smilesColumn), "SMILES column");
            expect(in.getInt() == store.size(), "molecule count");
            for (int i = 0; i < graphs.length; i++) {
                String s = readString(in);
                expect(s.equals(store.smiles.get(i)), "SMILES of molecule " + i);
                graphs[i] = readGraph(in, s);
            }
            expect(!in.hasRemaining(), "end of data");
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IOException("truncated file", e);
        }
        int n = 0;
        for (int i = 0; i < graphs.length; i++) {
            if (store.get(i) == null) {
                store.set(i, graphs[i]);
                n++;
            }
        }
        return n;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) throws IOException {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IOException("bad string length");
        }
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void expect(boolean ok, String what) throws IOException {
        if (!ok) {
            throw new IOException(what + " differs");
        }
    }

    private static void writeGraph(DataOutputStream out, MolGraph g) throws IOException {
        out.writeInt(g.nAtoms());
        out.writeInt(g.nBonds());
        writeSparse(out, g.atomFeatures());
        for (int v : g.bondBegin()) {
            out.writeInt(v);
        }
        for (int v : g.bondEnd()) {
            out.writeInt(v);
        }
        writeSparse(out, g.bondFeatures());
    }

    private static MolGraph readGraph(ByteBuffer in, String smiles) throws IOException {
        int atoms = in.getInt();
        int bonds = in.getInt();
        if (atoms < 0 || bonds < 0 || atoms > 1_000_000 || bonds > 1_000_000) {
            throw new IOException("bad graph size");
        }
        float[] af = readSparse(in, atoms * MolGraph.ATOM_FDIM);
        int[] bb = new int[bonds];
        int[] be = new int[bonds];
        for (int k = 0; k < bonds; k++) {
            bb[k] = in.getInt();
        }
        for (int k = 0; k < bonds; k++) {
            be[k] = in.getInt();
        }
        float[] bf = readSparse(in, bonds * MolGraph.BOND_FDIM);
        try {
            return new MolGraph(smiles, atoms, af, bb, be, bf);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void writeSparse(DataOutputStream out, float[] a) throws IOException {
        int nnz = 0;
        for (float v : a) {
            if (v != 0f) {
                nnz++;
            }
        }
        out.writeInt(nnz);
        for (int i = 0; i < a.length; i++) {
            if (a[i] != 0f) {
                boolean one = a[i] == 1f;
                out.writeInt(2 * i + (one ? 0 : 1));
                if (!one) {
                    out.writeFloat(a[i]);
                }
            }
        }
    }

    private static float[] readSparse(ByteBuffer in, int length) throws IOException {
        float[] a = new float[length];
        int nnz = in.getInt();
        if (nnz < 0 || nnz > length) {
            throw new IOException("bad sparse count");
        }
        for (int k = 0; k < nnz; k++) {
            int code = in.getInt();
            int i = code >>> 1;
            if (i >= length) {
                throw new IOException("bad sparse index");
            }
            a[i] = (code & 1) == 0 ? 1f : in.getFloat();
        }
        return a;
    }
}
