package gear.transfer;

import gear.chem.MolGraph;
import gear.nn.Adam;
import gear.nn.BatchGraph;
import gear.nn.DmpnnEncoder;
import gear.nn.DmpnnEncoderStep;
import gear.nn.Params;
import gear.nn.Tensors;
import gear.train.NoamSchedule;
import gear.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The training loop of every transfer method (design/GEAR.md §4–5).
 *
 * <p><b>Batches.</b> The paired methods (MTL, KD, GSP-KD, GATE, GEAR) train on batches that hold a
 * target mini-batch and a source mini-batch of {@code batchSize} molecules each; every molecule goes
 * through both networks and each supervised term is masked to the molecules labelled for its task. STL
 * and the second phase of fine-tuning train on target mini-batches only; the first phase of
 * finetune/KD/GSP-KD trains the source network on source mini-batches.
 *
 * <p><b>Epoch.</b> An epoch of the target phase is one pass over the target training set (shuffled per
 * epoch); the source mini-batches come from a shuffled source order that is cycled (re-shuffled when
 * used up) across epochs. Why: the target is the task being evaluated, so model selection (target
 * validation RMSE after each epoch), the Noam schedule and the number of optimizer steps are then the
 * same as for STL on the same target, which makes the methods comparable step for step; capping a pass
 * over the much larger source instead would make an epoch of a 14,000-molecule source cost 20–50 target
 * passes. The pretraining phase of finetune/KD/GSP-KD runs {@code pretrainEpochs} full passes over the source.
 *
 * <p><b>Optimization.</b> Adam ({@link Adam}) with chemprop's {@link NoamSchedule} stepped per batch,
 * optional gradient-norm clipping, one {@link PointerScope} per step, libtorch's generator reseeded
 * per step (perturbations), model selection on the target validation RMSE (the best epoch's weights
 * are kept; the pretraining phase keeps its last epoch), and a NaN or infinite loss stops training with
 * a {@link TrainingDivergedException} naming epoch and batch before the weights change.
 */
public final class TransferTrainer {
    /** Term names in log order. */
    static final List<String> TERM_ORDER = List.of("reg", "auto", "cons", "map", "metric", "curv", "dis", "kd", "total",
            "abs_r_source", "abs_r_target", "geo_g_source", "geo_g_target", "geo_gmin_source", "geo_gmin_target",
            "geo_rsd_source", "geo_rsd_target", "geo_singular", "train_rmse");

    private final TransferModel model;
    private final long seed;
    private final Consumer<EpochTerms> listener;
    private final boolean trainRmse;
    private final Map<String, Double> weights = new LinkedHashMap<>();
    /** One hand-derived D-MPNN step per embedding (shared embeddings have one), made before any step scope. */
    private final Map<DmpnnEncoder, DmpnnEncoderStep> encoderSteps = new IdentityHashMap<>();
    /** Embeddings run in the current step: their step and the molecule vectors autograd differentiates. */
    private final List<Map.Entry<DmpnnEncoderStep, Tensor>> pending = new ArrayList<>();
    private boolean handBackward = true;

    public TransferTrainer(TransferModel model, long seed, Consumer<EpochTerms> listener) {
        this(model, seed, listener, false);
    }

    /** @param trainRmse also log the target training RMSE after every target-phase epoch ({@code train_rmse}) */
    TransferTrainer(TransferModel model, long seed, Consumer<EpochTerms> listener, boolean trainRmse) {
        this.model = model;
        this.seed = seed;
        this.trainRmse = trainRmse;
        this.listener = listener == null ? e -> { } : listener;
        TransferOptions o = model.options();
        weights.put("auto", o.wAuto());
        weights.put("cons", o.wCons());
        weights.put("map", o.wMap());
        weights.put("metric", o.wMetric());
        weights.put("curv", o.wCurv());
        weights.put("dis", o.wDis());
        weights.put("kd", o.wKd());
        for (Task t : Task.values()) {
            if (t == Task.TARGET || model.method().hasSourceNetwork()) {
                encoderSteps.computeIfAbsent(model.network(t).embedding(), DmpnnEncoderStep::new);
            }
        }
    }

    /**
     * Whether the D-MPNN embeddings are differentiated by {@link DmpnnEncoderStep} (default) or by autograd
     * like the rest of the network (the reference the tests compare against).
     */
    TransferTrainer handBackward(boolean on) {
        this.handBackward = on;
        return this;
    }

    /**
     * h_mol = Embedding(G) in training mode. With the hand-derived backward, the D-MPNN runs without an
     * autograd graph and h_mol is a leaf that autograd differentiates; after {@code loss.backward()},
     * {@link #embeddingGradients} carries ∂L/∂h_mol through the D-MPNN. The values are the same up to
     * floating-point summation order, the gradients those of autograd (TransferHandBackwardTest).
     */
    private Tensor embed(DmpnnEncoder e, BatchGraph batch) {
        if (!handBackward) {
            return e.forward(batch, true);
        }
        DmpnnEncoderStep st = encoderSteps.get(e);
        for (Map.Entry<DmpnnEncoderStep, Tensor> p : pending) {
            if (p.getKey() == st) {
                throw new IllegalStateException("an embedding runs twice in one step");
            }
        }
        Tensor h = st.forward(batch, null).requires_grad_(true);
        pending.add(Map.entry(st, h));
        return h;
    }

    /** z = Encoder(Embedding(G)) in training mode, through {@link #embed}. */
    private Tensor latent(TaskNetwork net, BatchGraph batch) {
        return net.encoder().forward(embed(net.embedding(), batch), true);
    }

    /** Writes the D-MPNN weights' gradients of every embedding run in this step (after {@code loss.backward()}). */
    private void embeddingGradients() {
        for (Map.Entry<DmpnnEncoderStep, Tensor> p : pending) {
            DmpnnEncoderStep st = p.getKey();
            Tensor g = p.getValue().grad();
            st.backward(g != null && g.defined() ? g : torch.zeros_like(p.getValue()), null);
            Tensor[] w = st.weights();
            Tensor[] gw = st.grads();
            for (int i = 0; i < w.length; i++) {
                w[i].mutable_grad().put(gw[i]);
            }
        }
        pending.clear();
    }

    /**
     * ε of target-phase epoch {@code epoch} (0-based): with a warm-up of E epochs, ε·min(1, epoch/E),
     * so that the first epoch has no curvature term and l_metric can pin g ≈ I before R (which scales
     * like 1/length²) is matched; ε itself without a warm-up.
     */
    static double curvWeight(TransferOptions o, int epoch) {
        return o.curvWarmup() > 0 ? o.wCurv() * Math.min(1.0, epoch / o.curvWarmup()) : o.wCurv();
    }

    /** The result of the training loop. */
    record Fit(List<EpochTerms> history, int bestEpoch, double bestValRmse) {}

    Fit fit(PairData d) {
        List<EpochTerms> history = new ArrayList<>();
        Method m = model.method();
        TransferOptions o = model.options();
        if (m.twoPhase()) {
            pretrain(d, history);
            if (m == Method.FINETUNE) {
                copyPrefix("source.embedding.", "target.embedding.");
                copyPrefix("source.encoder.", "target.encoder.");
            }
        }
        Params params = switch (m) {
            case STL, FINETUNE, KD, GSPKD -> model.params(Task.TARGET);
            default -> model.params();
        };
        boolean paired = m != Method.STL && m != Method.FINETUNE;
        int nt = d.targetGraphs().size();
        int bs = o.batchSize();
        if (nt == 0) {
            throw new IllegalArgumentException("the target training set is empty");
        }
        if (paired && d.sourceGraphs().isEmpty()) {
            throw new IllegalArgumentException("the source training set is empty (after removing target test molecules)");
        }
        Adam adam = new Adam(params, o.initLr());
        NoamSchedule schedule = new NoamSchedule(Math.min(o.warmupEpochs(), o.epochs()), o.epochs(),
                NoamSchedule.stepsPerEpoch(nt, bs), o.initLr(), o.maxLr(), o.finalLr());
        Map<String, Tensor> best = model.params().snapshot();
        double bestScore = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        SourceCycle cycle = new SourceCycle(d.sourceGraphs().size(), seed);
        long step = 0;
        for (int epoch = 0; epoch < o.epochs(); epoch++) {
            long t0 = System.nanoTime();
            List<int[]> batches = shuffledBatches(nt, bs, seed, epoch);
            Map<String, Double> sums = new LinkedHashMap<>();
            double lr = o.initLr();
            weights.put("curv", curvWeight(o, epoch));
            for (int b = 0; b < batches.size(); b++) {
                int[] ti = batches.get(b);
                int[] si = paired ? cycle.next(bs) : new int[0];
                lr = schedule.lr(step);
                adam.setLr(lr);
                Map<String, Double> terms = step(params, adam, d, ti, si, step, epoch, b, o.clipNorm());
                terms.forEach((k, v) -> sums.merge(k, v, Double::sum));
                step++;
            }
            double valRmse = valRmse(d);
            if (!Double.isNaN(valRmse) && !Double.isFinite(valRmse)) {
                throw new TrainingDivergedException(epoch, batches.size() - 1, valRmse);
            }
            boolean improved = Double.isNaN(valRmse) || valRmse < bestScore;
            if (improved) {
                if (!Double.isNaN(valRmse)) {
                    bestScore = valRmse;
                }
                bestEpoch = epoch;
                Params.copyInto(best, model.params().asMap());
            }
            Map<String, Double> terms = means(sums, batches.size());
            if (trainRmse) {
                terms.put("train_rmse", trainRmse(d));
            }
            EpochTerms et = new EpochTerms("train", epoch, terms, valRmse, lr, (System.nanoTime() - t0) / 1e9, improved);
            history.add(et);
            listener.accept(et);
        }
        model.params().copyFrom(best);
        return new Fit(List.copyOf(history), bestEpoch, bestEpoch >= 0 && Double.isFinite(bestScore) ? bestScore : Double.NaN);
    }

    private void pretrain(PairData d, List<EpochTerms> history) {
        TransferOptions o = model.options();
        Params params = model.params(Task.SOURCE);
        int ns = d.sourceGraphs().size();
        if (ns == 0) {
            throw new IllegalArgumentException("the source training set is empty (after removing target test molecules)");
        }
        int bs = o.batchSize();
        Adam adam = new Adam(params, o.initLr());
        NoamSchedule schedule = new NoamSchedule(Math.min(o.warmupEpochs(), o.pretrainEpochs()), o.pretrainEpochs(),
                NoamSchedule.stepsPerEpoch(ns, bs), o.initLr(), o.maxLr(), o.finalLr());
        long step = 0;
        for (int epoch = 0; epoch < o.pretrainEpochs(); epoch++) {
            long t0 = System.nanoTime();
            List<int[]> batches = shuffledBatches(ns, bs, seed ^ 0x7F4A7C15L, epoch);
            Map<String, Double> sums = new LinkedHashMap<>();
            double lr = o.initLr();
            for (int b = 0; b < batches.size(); b++) {
                lr = schedule.lr(step);
                adam.setLr(lr);
                Map<String, Double> terms = pretrainStep(params, adam, d, batches.get(b), epoch, b, o.clipNorm());
                terms.forEach((k, v) -> sums.merge(k, v, Double::sum));
                step++;
            }
            EpochTerms et = new EpochTerms("pretrain", epoch, means(sums, batches.size()), Double.NaN, lr,
                    (System.nanoTime() - t0) / 1e9, false);
            history.add(et);
            listener.accept(et);
        }
    }

    private Map<String, Double> pretrainStep(Params params, Adam adam, PairData d, int[] idx, int epoch, int b,
            double clip) {
        List<MolGraph> mols = new ArrayList<>(idx.length);
        float[] ys = new float[idx.length];
        for (int k = 0; k < idx.length; k++) {
            mols.add(d.sourceGraphs().get(idx[k]));
            ys[k] = d.sourceYs()[idx[k]];
        }
        try (PointerScope scope = new PointerScope()) {
            BatchGraph batch = BatchGraph.of(mols, ScalarType.Float);
            TaskNetwork s = model.network(Task.SOURCE);
            params.zeroGrad();
            pending.clear();
            Map<String, Tensor> terms = new LinkedHashMap<>();
            terms.put("reg", Losses.maskedMse(s.head().forward(latent(s, batch), true), Tensors.of(ys, ys.length)));
            return apply(params, adam, terms, new LinkedHashMap<>(), epoch, b, clip);
        }
    }

    /**
     * One optimizer step of the target phase on target molecules {@code ti} and source molecules {@code si}.
     *
     * @return the value of each term (and {@code total})
     */
    public Map<String, Double> step(Params params, Adam adam, PairData d, int[] ti, int[] si, long step, int epoch, int b,
            double clip) {
        int n = ti.length + si.length;
        List<MolGraph> mols = new ArrayList<>(n);
        float[] ys = new float[n];
        float[] yt = new float[n];
        for (int k = 0; k < ti.length; k++) {
            mols.add(d.targetGraphs().get(ti[k]));
            yt[k] = d.targetYt()[ti[k]];
            ys[k] = d.targetYs()[ti[k]];
        }
        for (int k = 0; k < si.length; k++) {
            mols.add(d.sourceGraphs().get(si[k]));
            ys[ti.length + k] = d.sourceYs()[si[k]];
            yt[ti.length + k] = d.sourceYt()[si[k]];
        }
        try (PointerScope scope = new PointerScope()) {
            torch.manual_seed(mix(seed, step));
            BatchGraph batch = BatchGraph.of(mols, ScalarType.Float);
            Tensor tys = Tensors.of(ys, n);
            Tensor tyt = Tensors.of(yt, n);
            params.zeroGrad();
            pending.clear();
            Map<String, Double> extra = new LinkedHashMap<>();
            Map<String, Tensor> terms = terms(batch, tys, tyt, n, step, extra);
            return apply(params, adam, terms, extra, epoch, b, clip);
        }
    }

    private Map<String, Double> apply(Params params, Adam adam, Map<String, Tensor> terms, Map<String, Double> extra,
            int epoch, int b, double clip) {
        Tensor loss = Losses.total(terms, weights);
        double lv = loss.item_double();
        if (!Double.isFinite(lv)) {
            throw new TrainingDivergedException(epoch, b, lv);
        }
        loss.backward();
        embeddingGradients();
        if (clip > 0) {
            torch.clip_grad_norm_(params.vector(), clip);
        }
        adam.step();
        Map<String, Double> out = new LinkedHashMap<>();
        terms.forEach((k, v) -> out.put(k, v.item_double()));
        out.put("total", lv);
        out.putAll(extra);
        return out;
    }

    /** The method's loss terms on one batch (weights applied later by {@link Losses#total}). */
    Map<String, Tensor> terms(BatchGraph batch, Tensor ys, Tensor yt, int n, long step, Map<String, Double> extra) {
        TransferOptions o = model.options();
        TaskNetwork t = model.network(Task.TARGET);
        Map<String, Tensor> terms = new LinkedHashMap<>();
        switch (model.method()) {
            case STL, FINETUNE -> terms.put("reg", Losses.maskedMse(t.head().forward(latent(t, batch), true), yt));
            case MTL -> {
                TaskNetwork s = model.network(Task.SOURCE);
                Tensor z = latent(t, batch);
                terms.put("reg", Losses.maskedMse(s.head().forward(z, true), ys)
                        .add(Losses.maskedMse(t.head().forward(z, true), yt)));
            }
            case KD, GSPKD -> {
                TaskNetwork s = model.network(Task.SOURCE);
                Tensor zs;
                try (NoGradGuard g = new NoGradGuard()) {
                    zs = s.latent(batch, false).detach();
                }
                Tensor zt = latent(t, batch);
                terms.put("reg", Losses.maskedMse(t.head().forward(zt, true), yt));
                terms.put("kd", model.method() == Method.KD ? Losses.mse(zt, zs) : Losses.structure(zt, zs));
            }
            case GATE -> {
                TaskNetwork s = model.network(Task.SOURCE);
                Tensor h = embed(t.embedding(), batch);
                Tensor zs = s.encoder().forward(h, true);
                Tensor zt = t.encoder().forward(h, true);
                terms.putAll(Losses.alignment(s, t, zs, zt, ys, yt));
                if (o.wDis() > 0) {
                    Tensor x = s.phi().forward(zs).repeat(o.perturbations(), 1);
                    Tensor delta = torch.randn(x.sizes().vec().get(), Tensors.options(ScalarType.Float))
                            .mul(new Scalar(o.perturbScale()));
                    terms.put("dis", Losses.gateDistance(s.psi(), t.psi(), x, delta));
                }
            }
            case GEAR -> {
                TaskNetwork s = model.network(Task.SOURCE);
                Tensor zs = latent(s, batch);
                Tensor zt = latent(t, batch);
                terms.putAll(Losses.alignment(s, t, zs, zt, ys, yt));
                if (o.wMetric() > 0) {
                    terms.put("metric", Losses.metricAt(s.phi(), perturb(zs, o))
                            .add(Losses.metricAt(t.phi(), perturb(zt, o))));
                }
                Tensor idx = Tensors.of(subset(n, o.curvSubset(), step), Math.min(n, o.curvSubset()));
                Tensor cs = zs.index_select(0, idx);
                Tensor ct = zt.index_select(0, idx);
                geometryDiagnostics(s.phi(), cs, "source", o, extra);
                geometryDiagnostics(t.phi(), ct, "target", o, extra);
                if (o.wCurv() > 0) {
                    Losses.CurvatureMatch cm = Losses.curvatureMatch(s.phi(), t.phi(), cs, ct, o.curvRoute());
                    terms.put("curv", cm.loss());
                    extra.put("abs_r_source", cm.meanAbsSource());
                    extra.put("abs_r_target", cm.meanAbsTarget());
                }
            }
            default -> throw new IllegalStateException("unhandled method " + model.method());
        }
        return terms;
    }

    /**
     * Logs (no gradient) the geometry of φ at the curvature points: mean eigenvalue tr(g)/d_z
     * ({@code geo_g_*}), mean smallest eigenvalue ({@code geo_gmin_*}), the spread (standard deviation)
     * of R ({@code geo_rsd_*}), mean |R| ({@code abs_r_*}, also when ε = 0) and singular points
     * ({@code geo_singular}, summed over tasks).
     */
    private static void geometryDiagnostics(gear.geometry.SiluMlp phi, Tensor z, String task, TransferOptions o,
            Map<String, Double> extra) {
        try (NoGradGuard g = new NoGradGuard()) {
            gear.geometry.CurvatureResult r = gear.geometry.Curvature.ricciScalar(phi, z.detach(), o.curvRoute());
            Tensor gm = r.metric().to(ScalarType.Double);
            long d = gm.size(1);
            double[] ev = Tensors.toDoubles(torch.linalg_eigvalsh(gm));
            int pts = ev.length / (int) d;
            double tr = 0;
            double min = 0;
            for (int p = 0; p < pts; p++) {
                min += ev[(int) (p * d)];
                for (int i = 0; i < d; i++) {
                    tr += ev[(int) (p * d + i)];
                }
            }
            double[] rv = Tensors.toDoubles(r.scalar());
            double mean = 0;
            double abs = 0;
            for (double v : rv) {
                mean += v / rv.length;
                abs += Math.abs(v) / rv.length;
            }
            double var = 0;
            for (double v : rv) {
                var += (v - mean) * (v - mean) / Math.max(1, rv.length - 1);
            }
            extra.put("geo_g_" + task, tr / (pts * d));
            extra.put("geo_gmin_" + task, min / pts);
            extra.put("geo_rsd_" + task, Math.sqrt(var));
            extra.putIfAbsent("abs_r_" + task, abs);
            extra.merge("geo_singular", (double) r.singularCount(), Double::sum);
        }
    }

    private static Tensor perturb(Tensor z, TransferOptions o) {
        Tensor zr = z.repeat(o.perturbations(), 1);
        if (o.perturbScale() == 0) {
            return zr;
        }
        return zr.add(torch.randn(zr.sizes().vec().get(), Tensors.options(ScalarType.Float)).mul(new Scalar(o.perturbScale())));
    }

    /** @return min(k, n) distinct positions of 0..n−1 drawn with a generator seeded by the run seed and step */
    private long[] subset(int n, int k, long step) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(mix(seed ^ 0x2545F4914F6CDD1DL, step));
        int m = Math.min(n, k);
        long[] out = new long[m];
        for (int i = 0; i < m; i++) {
            int j = i + r.nextInt(n - i);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
            out[i] = p[i];
        }
        return out;
    }

    private double valRmse(PairData d) {
        if (d.valGraphs().isEmpty()) {
            return Double.NaN;
        }
        double[] p = model.predict(Task.TARGET, d.valGraphs());
        double ss = 0;
        int c = 0;
        for (int i = 0; i < p.length; i++) {
            if (!Double.isNaN(d.valY()[i])) {
                double e = p[i] - d.valY()[i];
                ss += e * e;
                c++;
            }
        }
        return c == 0 ? Double.NaN : Math.sqrt(ss / c);
    }

    /**
     * RMSE of the current target predictions over the target training molecules, in original units,
     * against the labels trained on (de-standardized). Prediction runs without gradient and draws no
     * random numbers, so it does not change training.
     */
    private double trainRmse(PairData d) {
        double[] p = model.predict(Task.TARGET, d.targetGraphs());
        gear.data.StandardScaler sc = model.scaler(Task.TARGET);
        double[] y = new double[p.length];
        for (int i = 0; i < y.length; i++) {
            float v = d.targetYt()[i];
            y[i] = Float.isNaN(v) ? Double.NaN : v * sc.std(0) + sc.mean(0);
        }
        return gear.eval.Metrics.regression(p, y).rmse();
    }

    private void copyPrefix(String from, String to) {
        try (NoGradGuard g = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : model.params().asMap().entrySet()) {
                if (e.getKey().startsWith(from)) {
                    Tensor dst = model.params().get(to + e.getKey().substring(from.length()));
                    dst.copy_(e.getValue());
                }
            }
        }
    }

    private static Map<String, Double> means(Map<String, Double> sums, int batches) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String k : TERM_ORDER) {
            if (sums.containsKey(k)) {
                out.put(k, sums.get(k) / batches);
            }
        }
        return out;
    }

    /** @return a seeded shuffle of 0..n−1 cut into chunks of {@code bs} */
    static List<int[]> shuffledBatches(int n, int bs, long seed, int epoch) {
        int[] perm = permutation(n, new SplittableRandom(mix(seed, epoch)));
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i += bs) {
            out.add(Arrays.copyOfRange(perm, i, Math.min(n, i + bs)));
        }
        return out;
    }

    static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** SplitMix64-style mixing of a seed and a counter. */
    static long mix(long seed, long k) {
        long x = seed * 0x9E3779B97F4A7C15L + k + 0x632BE59BD9B4E019L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    /** Source molecules in a shuffled order that is cycled, re-shuffled each time it is used up. */
    static final class SourceCycle {
        private final int n;
        private final long seed;
        private int[] order;
        private int pos;
        private int round;

        SourceCycle(int n, long seed) {
            this.n = n;
            this.seed = seed;
        }

        int[] next(int k) {
            int m = Math.min(k, n);
            int[] out = new int[m];
            for (int i = 0; i < m; i++) {
                if (order == null || pos == order.length) {
                    order = permutation(n, new SplittableRandom(mix(seed ^ 0x51A3C0FFEEL, round++)));
                    pos = 0;
                }
                out[i] = order[pos++];
            }
            return out;
        }
    }
}
