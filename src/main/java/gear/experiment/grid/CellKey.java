package gear.experiment.grid;

import gear.data.SplitType;
import java.math.BigDecimal;

/**
 * The coordinates of one grid cell.
 *
 * @param pair pair id
 * @param method transfer method ({@code stl, mtl, finetune, kd, gspkd, gate, gear}) or a GEAR ablation
 *     variant ({@link Ablation})
 * @param splitType split of the target
 * @param fold validation fold (0-based)
 * @param seed seed of the split, folds, subsample, label noise and model
 * @param noise fraction of the target training labels corrupted ({@link GridConfig#noiseSigma()}); 0 = clean
 */
public record CellKey(String pair, String method, SplitType splitType, int fold, long seed, double noise) {
    /** @throws IllegalArgumentException for a noise fraction outside [0, 1] */
    public CellKey {
        if (!(noise >= 0 && noise <= 1)) {
            throw new IllegalArgumentException("noise fraction must be in [0, 1], got " + noise);
        }
        noise = noise == 0 ? 0.0 : noise; // -0.0 → 0.0: one clean cell, not two
    }

    /** A clean cell (no label noise). */
    public CellKey(String pair, String method, SplitType splitType, int fold, long seed) {
        this(pair, method, splitType, fold, seed, 0.0);
    }

    /**
     * @return the cell id {@code pair.method.split.fF.sS}, with {@code .nF} appended for a noisy cell
     *     ({@code F} the fraction in plain decimal, e.g. {@code .n0.2}); also its directory name under
     *     {@code cells/}. A clean cell's id is the same as before noise existed.
     */
    public String id() {
        String base = pair + "." + method + "." + splitType.cliName() + ".f" + fold + ".s" + seed;
        return noise > 0 ? base + ".n" + fraction(noise) : base;
    }

    /** @return the fraction in plain decimal without trailing zeros ({@code 0.2}, {@code 1}, {@code 0.05}) */
    public static String fraction(double f) {
        return BigDecimal.valueOf(f).stripTrailingZeros().toPlainString();
    }

    /**
     * Parses {@link #id()}.
     *
     * @throws IllegalArgumentException on a malformed id
     */
    public static CellKey parse(String id) {
        String[] p = id.split("\\.");
        if (p.length < 5 || !p[3].startsWith("f") || !p[4].startsWith("s") || (p.length > 5 && !p[5].startsWith("n"))
                || p.length > 7) {
            throw new IllegalArgumentException("malformed cell id '" + id + "': expected pair.method.split.fF.sS[.nF]");
        }
        double noise = 0;
        if (p.length > 5) {
            String f = p[5].substring(1) + (p.length == 7 ? "." + p[6] : "");
            try {
                noise = Double.parseDouble(f);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed cell id '" + id + "': bad noise fraction '" + f + "'");
            }
        }
        return new CellKey(p[0], p[1], SplitType.parse(p[2]), Integer.parseInt(p[3].substring(1)), Long.parseLong(p[4].substring(1)),
                noise);
    }
}
