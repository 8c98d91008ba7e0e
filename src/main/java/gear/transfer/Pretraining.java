package gear.transfer;

import gear.train.Engine;
import java.util.ArrayList;
import java.util.List;

/**
 * What the source pretraining phase of {@link TransferTrainer} reads, and the key that names it in a
 * {@link PretrainCache}: the held-out source validation share ({@code pretrain_val_fraction}; also each k-task source's,
 * {@link #heldOut}) and the options, seed and data a pretraining depends on ({@link #key}), so that fine-tuning, KD,
 * GSP-KD and the {@code source_init pretrained} warm start of one source, seed and pretraining options share one
 * pretraining.
 */
public final class Pretraining {
    private Pretraining() {}

    /** Mixed into the seed of the source validation split. */
    static final long SOURCE_VAL_SALT = 0x50_7A1DL;

    /**
     * The data of the pretraining phase: with {@code pretrain_val_fraction} f &gt; 0, a seeded share
     * max(1, round(f·n)) of the n source training molecules is held out as the source validation set (values in
     * source units), the rest trains; with f = 0, {@code d} itself (no source validation, as before).
     */
    static PairData data(PairData d, TransferOptions o, long seed, gear.data.StandardScaler sourceScaler) {
        double f = o.pretrainValFraction();
        if (f == 0) {
            return d;
        }
        int n = d.sourceGraphs().size();
        boolean[] isVal = heldOut(n, f, Engine.mix(seed ^ SOURCE_VAL_SALT, 0), "source molecule", "source molecules");
        int nVal = 0;
        for (boolean v : isVal) {
            nVal += v ? 1 : 0;
        }
        List<gear.chem.MolGraph> tg = new ArrayList<>();
        List<gear.chem.MolGraph> vg = new ArrayList<>();
        float[] tys = new float[n - nVal];
        float[] tyt = new float[n - nVal];
        double[] vy = new double[nVal];
        int a = 0;
        int b = 0;
        for (int i = 0; i < n; i++) {
            if (isVal[i]) {
                vg.add(d.sourceGraphs().get(i));
                vy[b++] = d.sourceYs()[i] * sourceScaler.std(0) + sourceScaler.mean(0);
            } else {
                tg.add(d.sourceGraphs().get(i));
                tys[a] = d.sourceYs()[i];
                tyt[a++] = d.sourceYt()[i];
            }
        }
        return new PairData(tg, tys, tyt, d.targetGraphs(), d.targetYt(), d.targetYs(), vg, vy);
    }

    /**
     * The molecules a pretraining phase holds out to validate on (two-task source, each k-task source): a seeded
     * share max(1, round(f·n)) of n (none for f = 0), the first of a permutation drawn from {@code stream}.
     *
     * @param what the molecule ("source molecule") and its plural for the message
     * @return per molecule, whether it is held out
     * @throws IllegalArgumentException when f leaves no molecule to pretrain on
     */
    public static boolean[] heldOut(int n, double f, long stream, String what, String whats) {
        int nVal = f == 0 ? 0 : Math.max(1, (int) Math.round(f * n));
        if (f >= 1 || (nVal > 0 && nVal >= n)) {
            throw new IllegalArgumentException("pretrain_val_fraction " + f + " leaves no " + what + " to pretrain on ("
                    + n + " " + whats + "); use a value below 1");
        }
        boolean[] isVal = new boolean[n];
        int[] perm = Engine.permutation(n, new java.util.SplittableRandom(stream));
        for (int k = 0; k < nVal; k++) {
            isVal[perm[k]] = true;
        }
        return isVal;
    }

    /**
     * The key of the pretraining in a {@link PretrainCache}: everything the pretraining phase reads, and nothing
     * else: the source data after the purge ({@code sourceData}, a digest of its molecules and values), the seed,
     * the autograd route of the D-MPNN and every option of {@link TransferOptions#pretraining()} except those only
     * the target phase reads ({@link #TARGET_PHASE_ONLY}): the target phase's {@code max_lr} and {@code dropout} are
     * not part of it ({@code pretrain_max_lr} and {@code pretrain_dropout} are), so one pretraining serves every
     * target-phase setting of fine-tuning, KD, GSP-KD and the warm start. A pretraining on another device than the
     * CPU names it ({@link PretrainCache#deviceKey}): its numbers differ in the last bits, so a GPU run and a CPU
     * run never share an entry (CPU keys are those of earlier versions, so their entries stay valid).
     */
    static String key(TransferOptions o, long seed, String sourceData, boolean handBackward, String device) {
        return "gear source pretraining v1\nnetwork: the source network of a fine-tuning model "
                + "(source.embedding, source.encoder, source.head)\nseed " + seed + "\nhand_backward " + handBackward
                + "\noptions " + optionsKey(o) + "\nsource " + sourceData + "\n" + PretrainCache.deviceKey(device);
    }

    /** The key of a pretraining on the CPU. */
    static String key(TransferOptions o, long seed, String sourceData, boolean handBackward) {
        return key(o, seed, sourceData, handBackward, "cpu");
    }

    /**
     * The options part of a pretraining key (the two-task key's, {@link #key}, and the k-task fine-tuning's,
     * {@code gear.transfer.ktask.KTaskTrainer}): {@link TransferOptions#pretraining()} as JSON without
     * {@link #TARGET_PHASE_ONLY}.
     */
    public static String optionsKey(TransferOptions o) {
        com.fasterxml.jackson.databind.node.ObjectNode opts = o.pretraining().toJson(
                new com.fasterxml.jackson.databind.ObjectMapper());
        opts.remove(TARGET_PHASE_ONLY);
        opts.remove(IN_THE_SOURCE_DIGEST);
        return opts.toString();
    }

    /**
     * Options whose effect on the pretraining is the source it reads, which the key names by its digest (the purged
     * molecules and values): not part of {@link #key} as options, so that keys of entries made before they existed
     * stay valid.
     */
    static final List<String> IN_THE_SOURCE_DIGEST = List.of("source_purge");

    /** Options that only the target phase reads: not part of {@link #key}. */
    static final List<String> TARGET_PHASE_ONLY = List.of("epochs", "patience", "w_auto", "w_cons", "w_map", "w_metric",
            "w_curv", "w_dis", "w_kd", "perturb_scale", "perturbations", "curv_subset", "curv_route", "phi_init",
            "curv_warmup", "curv_loss", "curv_c", "gate_phi_init", "source_batches", "source_init", "common_size",
            "map_hidden");
}
