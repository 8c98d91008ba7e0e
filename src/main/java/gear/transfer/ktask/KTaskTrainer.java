package gear.transfer.ktask;

import gear.nn.Adam;
import gear.nn.DmpnnEncoder;
import gear.nn.EncoderLanes;
import gear.nn.Lanes;
import gear.train.Engine;
import gear.train.EpochStats;
import gear.train.Regression;
import gear.train.TrainListener;
import gear.train.TrainingDivergedException;
import gear.transfer.PretrainCache;
import gear.transfer.Pretraining;
import gear.transfer.TransferOptions;
import gear.transfer.TransferTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link KTaskModel} with its k-task method ({@link KMethod}) through the one training {@link Engine}
 * (schedule, selection on the evaluated tasks' validation score, early stopping, checkpoints, divergence check,
 * listeners); the phase is called {@code train} as the two-task GEAR's target phase. A method that pretrains
 * ({@link KFinetune}) first runs the phase {@code pretrain} on the pooled molecules of the tasks that are not
 * evaluated ({@link #pretrainData}), for at most {@code pretrain_epochs} with {@code pretrain_patience}. With a
 * checkpoint directory each phase writes its checkpoint after every epoch ({@link TransferTrainer#PRETRAIN_CHECKPOINT},
 * {@link TransferTrainer#CHECKPOINT}, the two-task names), and a resumed run ends with the weights of an
 * uninterrupted one.
 *
 * <p>A method that does not pretrain (GEAR, GATE, MTL) with {@code source_init pretrained} or {@code both} first
 * warm-starts from each source's own pretraining ({@link #warmStart}), as the two-task method does from its one
 * source's, so that with k = 2 it reproduces the two-task run.
 */
public final class KTaskTrainer {
    private final KTaskModel model;
    private final long seed;
    private final List<TrainListener> listeners = new ArrayList<>();
    /** The data-parallel lanes of the D-MPNN passes ({@code --threads}; their threads end when idle). */
    private Lanes lanes;
    private Map<DmpnnEncoder, EncoderLanes> encoderSteps;
    private Path checkpointDir;
    private boolean resume;
    private KTaskObjective stepObjective;
    private KTaskData stepData;
    private PretrainCache cache;
    private String sourceData;
    private PretrainCache.Lookup lookup;
    private int pretrainBest = -1;
    private PretrainCache warmStartCache;
    private List<String> warmStartData;
    private final List<WarmStartSource> warmStartSources = new ArrayList<>();
    private boolean trainRmse;

    /** @param listener receives the epochs (may be null) */
    public KTaskTrainer(KTaskModel model, long seed, TrainListener listener) {
        this.model = model;
        this.seed = seed;
        if (listener != null) {
            listeners.add(listener);
        }
        this.lanes = new Lanes(gear.nn.Torch.lanes());
        this.encoderSteps = KTaskObjective.encoderSteps(model, lanes);
    }

    /**
     * Runs the D-MPNN passes on {@code k} data-parallel lanes (default {@link gear.nn.Torch#lanes()}, the
     * {@code --threads} of the command, as the two-task runs); set it before the first step.
     */
    KTaskTrainer lanes(int k) {
        this.lanes = new Lanes(k);
        this.encoderSteps = KTaskObjective.encoderSteps(model, lanes);
        this.stepObjective = null;
        return this;
    }

    /** Writes the checkpoints into this directory after every epoch (null = none). */
    public KTaskTrainer checkpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** Continue from the checkpoints when there are some. */
    public KTaskTrainer resume(boolean r) {
        this.resume = r;
        return this;
    }

    /** Also log the primary task's training RMSE after every epoch of the {@code train} phase ({@code train_rmse}). */
    public KTaskTrainer trainRmse(boolean on) {
        this.trainRmse = on;
        return this;
    }

    /**
     * The result of training.
     *
     * @param history the epochs (the pretraining phase's first)
     * @param bestEpoch the kept epoch of the {@code train} phase (from 0)
     * @param bestValScore its validation score (NaN without validation data)
     */
    public record Fit(List<EpochStats> history, int bestEpoch, double bestValScore) {}

    /**
     * Trains.
     *
     * @throws IllegalArgumentException when a task's training set is empty or the data do not fit the model
     * @throws TrainingDivergedException on a NaN or infinite loss
     */
    public Fit fit(KTaskData d) {
        TransferOptions o = model.options();
        List<EpochStats> history = new ArrayList<>();
        lookup = null;
        warmStartSources.clear();
        if (model.method().pretrains()) {
            history.addAll(pretrain(d));
        } else if (model.method().readsSourcePretrainings(o)) {
            history.addAll(warmStart(d));
        }
        Engine e = engine(o, o.epochs(), o.patience(), TransferTrainer.CHECKPOINT);
        Engine.Result r = e.run("train", objective(d, false).trainRmse(trainRmse));
        history.addAll(r.history());
        return new Fit(history, r.bestEpoch(), r.bestScore());
    }

    private Engine engine(TransferOptions o, int epochs, int patience, String checkpointName) {
        return engine(o, epochs, patience, checkpointDir, checkpointName, resume);
    }

    private Engine engine(TransferOptions o, int epochs, int patience, Path dir, String checkpointName, boolean res) {
        return new Engine(o.training(epochs, patience, seed), Regression.INSTANCE).listeners(listeners)
                .resume(res).checkpoint(dir == null ? null : dir.resolve(checkpointName));
    }

    /**
     * Takes the pretraining phase from (and stores it into) a cache shared by runs (null = none, every run
     * pretrains); the entry holds every parameter of the model after the phase (the evaluated tasks' heads still at
     * their initialization), its epochs and its kept epoch.
     *
     * @param sourceData the digests of the sources' molecules and values the pretraining reads, in task order
     *     ({@link #pretrainKey})
     */
    public KTaskTrainer pretrainCache(PretrainCache c, String sourceData) {
        this.cache = c;
        this.sourceData = sourceData;
        return this;
    }

    /**
     * Takes the warm start's pretrainings ({@link #warmStart}) from (and stores them into) a cache shared with the
     * two-task runs (null = none).
     *
     * @param sourceData per task in task order, the digest of its molecules and values after the purge as a two-task
     *     run of that source computes it ({@link gear.transfer.TransferRun#sourceDigest}); the evaluated tasks' are
     *     not read
     */
    public KTaskTrainer warmStartCache(PretrainCache c, List<String> sourceData) {
        if (c != null && (sourceData == null || sourceData.size() != model.tasks())) {
            throw new IllegalArgumentException("one source digest per task (" + model.tasks() + ") with a cache");
        }
        this.warmStartCache = c;
        this.warmStartData = sourceData;
        return this;
    }

    /**
     * One source's pretraining in a warm start ({@link #warmStart}).
     *
     * @param task the source's task index
     * @param history its pretraining epochs (phase {@code pretrain}; epochs counted from 0 here, from 1 in
     *     {@code metrics.csv}, which lists them source by source)
     * @param lookup the cache lookup it came from or went into (null without a cache)
     */
    public record WarmStartSource(int task, List<EpochStats> history, PretrainCache.Lookup lookup) {
        /**
         * @return the kept epoch (from 0): the cache entry's, else the last improved one (−1 where none improved,
         *     as the two-task run records it)
         */
        public int bestEpoch() {
            if (lookup != null) {
                return lookup.entry().bestEpoch();
            }
            int best = -1;
            for (EpochStats e : history) {
                if (e.improved()) {
                    best = e.epoch();
                }
            }
            return best;
        }
    }

    /** @return the last {@link #fit}'s warm start, one pretraining per source in task order (none without one) */
    public List<WarmStartSource> warmStartSources() {
        return List.copyOf(warmStartSources);
    }

    /**
     * The checkpoint directory of source τ's warm-start pretraining in a run directory (a resume continues it).
     */
    public static Path warmStartCheckpointDir(Path runDir, int task) {
        return runDir.resolve("warm-start-" + task);
    }

    /**
     * {@code source_init pretrained} and {@code both} across k tasks: every source s (a task that is not evaluated)
     * is pretrained on its own training molecules as the two-task fine-tuning pretrains its source (the same model,
     * seed, held-out share and options, {@link TransferTrainer#pretrainSource}; the two-task runs' cache entry where
     * the cache and the data are the same), in task order, and its pretrained embedding, encoder and head start task
     * s's network. Modules that several tasks share (GATE's embedding, MTL's embedding and encoder) start from the
     * first source's, and with {@code both} so do the evaluated tasks' own embedding and encoder (their heads, φ and
     * ψ keep their initialization): the first source in task order stands for "the source" of the two-task method.
     * With k = 2 (one source) this is the two-task warm start, step for step.
     *
     * @return the pretrainings' epochs, source by source
     */
    private List<EpochStats> warmStart(KTaskData d) {
        List<EpochStats> h = new ArrayList<>();
        List<Integer> evaluated = d.evaluated();
        int p = d.primary();
        boolean first = true;
        for (int s = 0; s < d.tasks(); s++) {
            if (evaluated.contains(s)) {
                continue;
            }
            final int src = s;
            Path dir = checkpointDir == null ? null : warmStartCheckpointDir(checkpointDir, s);
            TransferTrainer.SourcePretraining sp = TransferTrainer.pretrainSource(model.options(), seed, model.scaler(s),
                    model.scaler(p), model.device(), d.pairData(s), t -> {
                        t.listeners(listeners).checkpointDir(dir).resume(resume);
                        if (warmStartCache != null) {
                            if (warmStartData.get(src) == null) { // a null digest would key every source alike
                                throw new IllegalArgumentException("no digest of source " + d.names().get(src));
                            }
                            t.pretrainCache(warmStartCache, warmStartData.get(src));
                        }
                    });
            warmStartSources.add(new WarmStartSource(s, List.copyOf(sp.history()), sp.lookup()));
            KWarmStart.copy(sp.source(), model.params().asMap(), s,
                    first ? KWarmStart.sharedAndTargets(evaluated, model.options().targetInitPretrained()) : List.of());
            h.addAll(sp.history());
            first = false;
        }
        return h;
    }

    /** @return the cache lookup of the last {@link #fit} (null without a cache or without pretraining) */
    public PretrainCache.Lookup pretrainLookup() {
        return lookup;
    }

    /** @return the kept epoch of the last {@link #fit}'s pretraining phase (from 0; −1 without one) */
    public int pretrainBestEpoch() {
        return pretrainBest;
    }

    /**
     * The pretraining phase (from the cache when one is set and holds it), with its own learning rate and dropout
     * ({@link TransferOptions#pretraining()}, as the two-task pretraining): where they differ from the target phase's, a
     * model of those options (the same initialization: dropout draws nothing at construction) is pretrained and hands
     * every weight over. @return its epochs
     */
    private List<EpochStats> pretrain(KTaskData d) {
        TransferOptions po = model.options().pretraining();
        KTaskModel pre = po == model.options() ? model : new KTaskModel(model.method(), po, model.seed(), model.names(),
                model.primary(), scalers(model)).to(model.device());
        List<EpochStats> h = pretrainIn(pre, d);
        if (pre != model) {
            model.params().copyFrom(pre.params().snapshot());
        }
        return h;
    }

    private static List<gear.data.StandardScaler> scalers(KTaskModel m) {
        List<gear.data.StandardScaler> s = new ArrayList<>();
        for (int t = 0; t < m.tasks(); t++) {
            s.add(m.scaler(t));
        }
        return s;
    }

    private List<EpochStats> pretrainIn(KTaskModel model, KTaskData d) {
        Map<DmpnnEncoder, EncoderLanes> steps = model == this.model ? encoderSteps
                : KTaskObjective.encoderSteps(model, lanes);
        if (cache == null) {
            Engine.Result r = runPretrain(model, steps, d, checkpointDir, resume);
            pretrainBest = r.bestEpoch();
            return r.history();
        }
        PretrainCache.Lookup l = cache.phase(pretrainKey(model, seed, d, sourceData), model.params(),
                TransferTrainer.PRETRAIN_CHECKPOINT, work -> runPretrain(model, steps, d, work, true));
        lookup = l;
        pretrainBest = l.entry().bestEpoch();
        return l.entry().history();
    }

    /** Pretrains {@code model} (the trained one, or the model of the pretraining options) with {@code steps}. */
    private Engine.Result runPretrain(KTaskModel model, Map<DmpnnEncoder, EncoderLanes> steps, KTaskData d, Path dir,
            boolean res) {
        TransferOptions o = model.options();
        KTaskData pd = pretrainData(d, o.pretrainValFraction(), seed, model);
        return engine(o.pretraining(), o.pretrainEpochs(), o.pretrainPatience(), dir, TransferTrainer.PRETRAIN_CHECKPOINT,
                res).run("pretrain", objective(model, steps, pd, true));
    }

    /**
     * The key of a k-task pretraining in a {@link PretrainCache}: everything the phase reads, and nothing else: the
     * layout (method, task names in order, the evaluated tasks, which get no molecule and no label), the seed, the
     * dropout of the phase ({@code pretrain_dropout}: the pretrained model is of {@link TransferOptions#pretraining()}),
     * the options of {@link TransferOptions#pretraining()} but those only the target phase reads
     * ({@link gear.transfer.Pretraining#optionsKey}) and the sources' data after the purge ({@code sourceData}); the
     * evaluated tasks' data are not part of it, so the folds of one task set whose purged sources are equal share it.
     */
    static String pretrainKey(KTaskModel model, long seed, KTaskData d, String sourceData) {
        return "gear k-task pretraining v1\nnetwork: every parameter of a k-task " + model.method().name()
                + " model (shared embedding and encoder, one head per task)\ntasks " + d.names() + "\nevaluated "
                + d.evaluated() + "\nseed " + seed + "\ndropout " + model.options().pretraining().dropout() + "\noptions "
                + Pretraining.optionsKey(model.options()) + "\nsources\n" + sourceData
                + PretrainCache.deviceKey(model.device().str().getString());
    }

    /** Salt of the held-out source molecules of the pretraining phase. */
    private static final long SOURCE_VAL_SALT = 0x50A7CEL;

    /**
     * The data of the pretraining phase: the tasks that {@code d} does not evaluate (the sources) keep their training
     * molecules and labels, the evaluated ones get none; with {@code valFraction} f &gt; 0 a seeded share
     * max(1, round(f·n)) of each source's n training molecules is held out as its validation set (values in its
     * units), the first source standing for the primary task of this data.
     *
     * @throws IllegalArgumentException when every task is evaluated (nothing to pretrain on) or f leaves a source
     *     without training molecules
     */
    static KTaskData pretrainData(KTaskData d, double valFraction, long seed, KTaskModel model) {
        int k = d.tasks();
        List<Integer> evaluated = d.evaluated();
        List<List<gear.chem.MolGraph>> graphs = new ArrayList<>();
        List<float[][]> labels = new ArrayList<>();
        List<KTaskData.Evaluated> val = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            List<gear.chem.MolGraph> g = d.graphs().get(t);
            float[][] y = d.labels().get(t);
            if (evaluated.contains(t)) {
                graphs.add(List.of());
                labels.add(new float[k][0]);
                continue;
            }
            int n = g.size();
            boolean[] isVal = Pretraining.heldOut(n, valFraction, Engine.mix(seed ^ SOURCE_VAL_SALT, t),
                    "molecule of task " + d.names().get(t), "training molecules");
            int nVal = 0;
            for (boolean v : isVal) {
                nVal += v ? 1 : 0;
            }
            List<gear.chem.MolGraph> tg = new ArrayList<>();
            List<gear.chem.MolGraph> vg = new ArrayList<>();
            float[][] ty = new float[k][n - nVal];
            double[] vy = new double[nVal];
            int a = 0;
            int b = 0;
            for (int i = 0; i < n; i++) {
                if (isVal[i]) {
                    vg.add(g.get(i));
                    vy[b++] = y[t][i] * model.scaler(t).std(0) + model.scaler(t).mean(0);
                } else {
                    tg.add(g.get(i));
                    for (int s = 0; s < k; s++) {
                        ty[s][a] = evaluated.contains(s) ? Float.NaN : y[s][i];
                    }
                    a++;
                }
            }
            graphs.add(tg);
            labels.add(ty);
            val.add(new KTaskData.Evaluated(t, vg, vy));
        }
        if (val.isEmpty()) {
            throw new IllegalArgumentException("every task is evaluated: there is no source to pretrain on");
        }
        KTaskData.Evaluated first = val.get(0);
        return new KTaskData(d.names(), first.task(), graphs, labels, first.valGraphs(), first.valY(),
                valFraction == 0 ? List.of() : val.subList(1, val.size()));
    }

    /**
     * One optimizer step on the molecules {@code rows[τ]} of each task outside the engine (tests, benchmarks).
     *
     * @return the value of each term and {@code total}
     */
    public Map<String, Double> step(Adam adam, KTaskData d, int[][] rows, long step, int epoch) {
        if (stepObjective == null || stepData != d) {
            stepObjective = objective(d, false);
            stepData = d;
        }
        KTaskObjective obj = stepObjective;
        return obj.trainStep(adam, epoch, 0, null, 0, () -> obj.forward(rows, step, epoch));
    }

    private KTaskObjective objective(KTaskData d, boolean pooled) {
        return objective(model, encoderSteps, d, pooled);
    }

    /** The phase of {@code m} (the trained model, or the model of the pretraining options) on the run's lanes. */
    private KTaskObjective objective(KTaskModel m, Map<DmpnnEncoder, EncoderLanes> steps, KTaskData d, boolean pooled) {
        return new KTaskObjective(m, d, seed, Regression.INSTANCE, steps, lanes, pooled);
    }
}
