package gear.transfer;

import gear.chem.MolGraph;
import gear.eval.ManifoldPlot;
import gear.geometry.Curvature.Route;
import gear.geometry.LatentDiagnostics;
import gear.geometry.Pca;
import gear.nn.Tensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;

/**
 * The picture of a transfer model's two latent manifolds for a set of molecules (design/GEAR.md §§2–3): each
 * molecule m has, per task τ, a point x_τ(m) = φ_τ(z_τ(m)) in the common space M (dimension d_M), where z_τ is the
 * task's latent chart and φ_τ its transfer map. Both tasks' points are projected on the first two principal axes of
 * all 2n points together ({@link Pca}: one basis for both tasks, so that positions compare across panels and an
 * aligned pair of manifolds looks alike). The picture ({@link ManifoldPlot}) has the source task on the left and
 * the target task on the right; the top row is coloured by the Ricci scalar R of that task's latent manifold at the
 * molecule's point (the quantity GEAR's curvature loss matches), the bottom row by the target task's value.
 *
 * <p>The common space M is shown rather than each chart z_τ: the charts of the two tasks are unrelated coordinate
 * systems (any rotation of z_τ is absorbed by the encoder and φ_τ), while M is where GEAR aligns them.
 *
 * <p>The alignment is also summarized by one number, the paired distance ratio
 * ρ = √(mean_m |x_s(m) − x_t(m)|²) / √(mean over all 2n points of |x − x̄|²): 0 when each molecule lands on the same
 * point for both tasks, about √2 when the two point sets are unrelated clouds of the same spread.
 */
public final class LatentPicture {
    /**
     * The data of the picture.
     *
     * @param sourceName the source task's column name
     * @param targetName the target task's column name
     * @param pca the projection fitted on both tasks' points in M (2 axes)
     * @param source the source points' projections (n × 2)
     * @param target the target points' projections (n × 2)
     * @param ricciSource R of the source manifold per molecule (NaN where the metric is singular)
     * @param ricciTarget R of the target manifold per molecule (NaN where singular)
     * @param value the colouring value per molecule (NaN: none)
     * @param valueLabel what the value is, with its unit
     * @param commonSize d_M
     * @param pairedRatio ρ (see the class comment)
     */
    public record Data(String sourceName, String targetName, Pca.Result pca, double[][] source, double[][] target,
            double[] ricciSource, double[] ricciTarget, double[] value, String valueLabel, int commonSize,
            double pairedRatio) {
        /** @return the number of molecules */
        public int size() {
            return source.length;
        }
    }

    private LatentPicture() {}

    /**
     * Computes the picture's data from molecules: latent points, curvature (Gauss route) and, without
     * {@code values}, the target task's predictions as the colouring value.
     *
     * @param values the target task's true values per molecule (NaN: unknown), or null to colour by prediction
     * @throws IllegalArgumentException when the model has no transfer maps or no molecules are given
     */
    public static Data compute(TransferModel m, List<MolGraph> graphs, double[] values) {
        double[][] zs = m.latent(Task.SOURCE, graphs);
        double[][] zt = m.latent(Task.TARGET, graphs);
        LatentDiagnostics ds = Diagnostics.evaluate(m, Task.SOURCE, zs, Route.GAUSS);
        LatentDiagnostics dt = Diagnostics.evaluate(m, Task.TARGET, zt, Route.GAUSS);
        String label = "true " + m.taskName(Task.TARGET);
        double[] v = values;
        if (v == null) {
            v = m.predict(Task.TARGET, graphs);
            label = "predicted " + m.taskName(Task.TARGET);
        }
        return of(m, zs, zt, ds, dt, v, label);
    }

    /**
     * The picture's data from latent points and their diagnostics computed elsewhere (e.g. by {@code gear curvature}).
     *
     * @param zs source latent points, zt target latent points (n × d_z, same molecules in the same order)
     * @param value colouring value per molecule (NaN: none)
     * @param valueLabel what the value is, with its unit
     */
    public static Data of(TransferModel m, double[][] zs, double[][] zt, LatentDiagnostics ds, LatentDiagnostics dt,
            double[] value, String valueLabel) {
        if (!m.method().hasTransferMaps()) {
            throw new IllegalArgumentException("a " + m.method().name() + " model has no transfer maps (no common space)");
        }
        int n = zs.length;
        if (n == 0 || zt.length != n || value.length != n) {
            throw new IllegalArgumentException("latent picture: " + n + " source, " + zt.length + " target points and "
                    + value.length + " values");
        }
        double[][] xs = common(m, Task.SOURCE, zs);
        double[][] xt = common(m, Task.TARGET, zt);
        double[][] all = new double[2 * n][];
        System.arraycopy(xs, 0, all, 0, n);
        System.arraycopy(xt, 0, all, n, n);
        Pca.Result pca = Pca.fit(all, Math.min(2, xs[0].length));
        return new Data(m.taskName(Task.SOURCE), m.taskName(Task.TARGET), pca, pca.project(xs), pca.project(xt),
                ricci(ds), ricci(dt), value, valueLabel, xs[0].length, pairedRatio(xs, xt, pca.mean()));
    }

    /** @return x = φ_τ(z) per point */
    static double[][] common(TransferModel m, Task t, double[][] z) {
        TaskNetwork net = m.network(t);
        int d = net.phi().outDim();
        double[][] x = new double[z.length][];
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            double[] flat = Tensors.toDoubles(net.phi().forward(m.toTensor(z)));
            for (int i = 0; i < z.length; i++) {
                x[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
            }
        }
        return x;
    }

    private static double[] ricci(LatentDiagnostics d) {
        double[] r = d.ricci().clone();
        for (int i = 0; i < r.length; i++) {
            if (d.singular()[i]) {
                r[i] = Double.NaN;
            }
        }
        return r;
    }

    static double pairedRatio(double[][] xs, double[][] xt, double[] mean) {
        double paired = 0;
        double spread = 0;
        for (int i = 0; i < xs.length; i++) {
            for (int j = 0; j < mean.length; j++) {
                double a = xs[i][j] - xt[i][j];
                paired += a * a;
                double b = xs[i][j] - mean[j];
                double c = xt[i][j] - mean[j];
                spread += b * b + c * c;
            }
        }
        return spread > 0 ? Math.sqrt(paired / xs.length) / Math.sqrt(spread / (2.0 * xs.length)) : 0;
    }

    /** @return the axis title of principal axis {@code k} (0-based) */
    public static String axisLabel(Data d, int k) {
        double share = k < d.pca().explained().length ? d.pca().explained()[k] : 0;
        return String.format(Locale.ROOT, "PC %d of common space M (%.1f %% of variance)", k + 1, 100 * share);
    }

    /** Draws the picture (PNG bytes). */
    public static byte[] png(Data d) throws IOException {
        double[][] s = d.source();
        double[][] t = d.target();
        String src = "source (" + d.sourceName() + "): φ_s(z_s)";
        String tgt = "target (" + d.targetName() + "): φ_t(z_t)";
        List<ManifoldPlot.Row> rows = List.of(
                new ManifoldPlot.Row("Ricci scalar R (1 / latent length²)", true, List.of(
                        new ManifoldPlot.Panel(src + ", R", col(s, 0), col(s, 1), d.ricciSource()),
                        new ManifoldPlot.Panel(tgt + ", R", col(t, 0), col(t, 1), d.ricciTarget()))),
                new ManifoldPlot.Row(d.valueLabel(), false, List.of(
                        new ManifoldPlot.Panel(src + ", value", col(s, 0), col(s, 1), d.value()),
                        new ManifoldPlot.Panel(tgt + ", value", col(t, 0), col(t, 1), d.value()))));
        String title = String.format(Locale.ROOT, "Latent manifolds in the common space M (%d molecules; paired distance "
                + "ratio %.3g)", d.size(), d.pairedRatio());
        return ManifoldPlot.png(title, axisLabel(d, 0), axisLabel(d, 1), rows);
    }

    /** Writes the picture as PNG atomically. */
    public static void write(Path png, Data d) throws IOException {
        gear.data.AtomicFiles.write(png, png(d));
    }

    /** @return how to read the picture, in plain sentences with its numbers (for the report and the CLI) */
    public static String howToRead(Data d) {
        double[] e = d.pca().explained();
        return String.format(Locale.ROOT, "Each point is one of %d molecules, placed by its point x = φ(z) in the common "
                + "space M (%d dimensions) that the transfer maps φ_s and φ_t map both tasks' latent charts into. The axes "
                + "are the first two principal components of all %d points of both tasks together, one basis for all four "
                + "panels, so positions compare across panels: PC 1 explains %.1f %% and PC 2 %.1f %% of their variance. "
                + "Left: the source task's manifold (%s); right: the target task's (%s); each molecule appears once in each. "
                + "Top row: the colour is the Ricci scalar R of that task's latent manifold at the molecule's point "
                + "(1 / latent length²; blue negative, grey near 0, red positive; the scale is ±the 99th percentile of |R|, "
                + "larger values saturate; black: singular metric). Bottom row: the colour is the %s of each molecule, "
                + "the same value in both panels. An aligned pair of manifolds looks alike: the two clouds overlap, each "
                + "molecule sits at about the same place in both, the curvature colours match (what GEAR's curvature loss "
                + "asks for) and the value changes along the same direction in both panels. Clouds that sit apart, are "
                + "turned or folded against each other, or carry different curvature patterns are not aligned. The paired "
                + "distance ratio ρ = %.3g measures it: the root-mean-square distance between a molecule's source and "
                + "target points over the root-mean-square spread of all points (0: identical points; about 1.4: "
                + "unrelated clouds).", d.size(), d.commonSize(), 2 * d.size(), 100 * e[0], e.length > 1 ? 100 * e[1] : 0,
                d.sourceName(), d.targetName(), d.valueLabel(), d.pairedRatio());
    }

    private static double[] col(double[][] a, int k) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = k < a[i].length ? a[i][k] : 0;
        }
        return c;
    }
}
