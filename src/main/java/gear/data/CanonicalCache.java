package gear.data;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.zip.CRC32;

/**
 * On-disk cache of the loader's per-row SMILES results (canonical SMILES or the parse error), so
 * that loading the same file again does not re-parse every molecule. One file per (source SHA-256,
 * SMILES column, canonicalizer fingerprint), {@code <key>.gcanon}, written atomically with a CRC-32
 * trailer; anything that does not read back exactly is ignored and rebuilt.
 */
final class CanonicalCache {
    private static final byte[] MAGIC = "GEARCANO".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT = 1;
    private static final String[] PROBES = {"CCO", "OCC", "C[C@H](N)C(=O)O", "N[C@@H](C)C(=O)O", "C/C=C/C", "C/C=C\\C",
        "c1ccccc1O", "Oc1ccccc1", "[NH4+]", "[O-][N+](=O)c1ccccc1", "[2H]C", "C1CC1.Cl",
        "*C", // refused since pseudo-atoms became bad rows: caches written before that are rebuilt
        "O=N(=O)c1ccccc1", // one molecule with the line before last since the cleanUp charges: older caches rebuilt
        "C1CCC(CCCCCC2CCCCC2)CC1", "C(CCC1CCCCC1)CCC1CCCCC1", // one string since the search covers symmetric molecules
        "CN(C)CC\\C=C1\\c2ccccc2CCc2ccccc12", // stereo that means nothing dropped since then
        "[13CH3]C(C)O"}; // isotopes split CDK's symmetry classes since then
    private static volatile String version;

    private CanonicalCache() {}

    /** @return a fingerprint of {@link Chem#canonicalSmiles} over fixed probe molecules */
    static String canonicalizerVersion() {
        String v = version;
        if (v == null) {
            MessageDigest md = Hashing.sha256();
            for (String p : PROBES) {
                String c;
                try {
                    c = Chem.canonicalSmiles(p);
                } catch (InvalidSmilesException | RuntimeException e) {
                    c = "error";
                }
                md.update((c + "\n").getBytes(StandardCharsets.UTF_8));
            }
            v = Hashing.hex(md).substring(0, 16);
            version = v;
        }
        return v;
    }

    static Path file(Path dir, String sourceSha, String smilesColumn) {
        String key = Hashing.sha256((sourceSha + "\0" + smilesColumn + "\0" + canonicalizerVersion() + "\0" + FORMAT)
                .getBytes(StandardCharsets.UTF_8));
        return dir.resolve(key.substring(0, 32) + ".gcanon");
    }

    /**
     * Fills {@code canon} / {@code errors} (one entry per data row; both null = row not parsed).
     *
     * @throws IOException if the file is unreadable, corrupt or for other rows
     */
    static void read(Path file, String[] canon, String[] errors) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 16) {
            throw new IOException("file too short");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        ByteBuffer in = ByteBuffer.wrap(all);
        if (in.getLong(all.length - 8) != crc.getValue()) {
            throw new IOException("CRC-32 differs");
        }
        in.limit(all.length - 8);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC) || in.getInt() != FORMAT) {
                throw new IOException("not a canonical SMILES cache file");
            }
            if (in.getInt() != canon.length) {
                throw new IOException("row count differs");
            }
            for (int i = 0; i < canon.length; i++) {
                byte kind = in.get();
                if (kind == 0) {
                    continue;
                }
                int n = in.getInt();
                if (n < 0 || n > in.remaining()) {
                    throw new IOException("bad string length");
                }
                byte[] b = new byte[n];
                in.get(b);
                String s = new String(b, StandardCharsets.UTF_8);
                if (kind == 1) {
                    canon[i] = s;
                } else if (kind == 2) {
                    errors[i] = s;
                } else {
                    throw new IOException("bad entry kind " + kind);
                }
            }
            if (in.hasRemaining()) {
                throw new IOException("trailing bytes");
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("truncated file", e);
        }
    }

    static void write(Path file, String[] canon, String[] errors) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(canon.length);
        for (int i = 0; i < canon.length; i++) {
            String s = canon[i] != null ? canon[i] : errors[i];
            if (s == null) {
                out.writeByte(0);
                continue;
            }
            out.writeByte(canon[i] != null ? 1 : 2);
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        AtomicFiles.write(file, bytes.toByteArray());
    }
}
