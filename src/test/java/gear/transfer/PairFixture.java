package gear.transfer;

import gear.chem.Chem;
import gear.chem.MolGraph;
import gear.data.MoleculeDataset;
import gear.data.RandomSplit;
import gear.data.Split;
import gear.data.SplitSizes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A small generated source/target pair: chain SMILES from tokens, source property #C + 2 #O − #N,
 * target property 0.5·source + #bonds (correlated tasks), the first 40 target molecules also in the source.
 */
final class PairFixture {
    private static final String[] TOKENS = {"C", "CC", "O", "N", "C(C)", "C(=O)", "c1ccccc1", "C(O)", "CN", "Cl"};

    private PairFixture() {}

    static List<String> smiles(int n, long seed) {
        Random r = new Random(seed);
        Set<String> out = new LinkedHashSet<>();
        while (out.size() < n) {
            StringBuilder sb = new StringBuilder("C");
            int k = 1 + r.nextInt(7);
            for (int j = 0; j < k; j++) {
                sb.append(TOKENS[r.nextInt(TOKENS.length)]);
            }
            out.add(sb.toString());
        }
        return new ArrayList<>(out);
    }

    static int count(MolGraph g, int z) {
        int c = 0;
        for (int a = 0; a < g.nAtoms(); a++) {
            if (g.atomFeatures()[a * MolGraph.ATOM_FDIM + z - 1] == 1f) {
                c++;
            }
        }
        return c;
    }

    static double sourceValue(String smi) {
        try {
            MolGraph g = Chem.featurize(smi);
            return count(g, 6) + 2 * count(g, 8) - count(g, 7);
        } catch (Exception e) {
            throw new IllegalStateException(smi, e);
        }
    }

    static double targetValue(String smi) {
        try {
            return 0.5 * sourceValue(smi) + Chem.featurize(smi).nBonds();
        } catch (Exception e) {
            throw new IllegalStateException(smi, e);
        }
    }

    /** @return {source, target} data sets: nSource and nTarget molecules */
    static MoleculeDataset[] pair(int nSource, int nTarget) {
        List<String> all = smiles(nSource + nTarget - 40, 11);
        List<String> src = all.subList(0, nSource);
        List<String> tgt = new ArrayList<>(all.subList(0, 40));
        tgt.addAll(all.subList(nSource, all.size()));
        double[][] ys = new double[src.size()][1];
        for (int i = 0; i < ys.length; i++) {
            ys[i][0] = sourceValue(src.get(i));
        }
        double[][] yt = new double[tgt.size()][1];
        for (int i = 0; i < yt.length; i++) {
            yt[i][0] = targetValue(tgt.get(i));
        }
        return new MoleculeDataset[] {MoleculeDataset.of("src", src, ys, List.of("ys")),
            MoleculeDataset.of("tgt", tgt, yt, List.of("yt"))};
    }

    static Split split(MoleculeDataset target) {
        return RandomSplit.split(target, new SplitSizes(0.6, 0.2, 0.2), 0);
    }

    /** Small, fast options: hidden 32, d_z 8, d_M 12, batch 20. */
    static TransferOptions small(int epochs) {
        return TransferOptions.defaults().with(TransferSchema.HIDDEN_SIZE, 32).with(TransferSchema.LATENT_SIZE, 8)
                .with(TransferSchema.COMMON_SIZE, 12).with(TransferSchema.MAP_HIDDEN, 12).with(TransferSchema.EPOCHS, epochs)
                .with(TransferSchema.PRETRAIN_EPOCHS, epochs).with(gear.train.TrainOptions.BATCH_SIZE, 20)
                .with(gear.train.TrainOptions.WARMUP_EPOCHS, Math.min(2.0, epochs)).with(TransferSchema.PERTURB_SCALE, 0.1)
                .with(TransferSchema.PERTURBATIONS, 1).with(TransferSchema.CURV_SUBSET, 4).with(TransferSchema.CURV_ROUTE, "gauss");
    }
}
