package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gear.chem.Chem;
import gear.chem.MolGraph;
import gear.data.StandardScaler;
import gear.nn.Torch;
import gear.train.Provenance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code source_batches}: a paired method's step holds min(source_batches · batch_size, N_s) source molecules
 * besides its target batch (1 = as before), counted by a paired method that records each batch's size; and the
 * source order still shows every source molecule once per pass.
 */
class SourceExposureTest {
    private static final List<MolGraph> GRAPHS = new ArrayList<>();

    @BeforeAll
    static void init() throws Exception {
        Torch.init(1);
        for (String s : TransferGradientTest.SMILES) {
            GRAPHS.add(Chem.featurize(s));
        }
    }

    /** MTL that records the number of source molecules of each step (batch size minus the target part). */
    static final class Recording implements TransferMethod {
        private final TransferMethod mtl = Methods.get("mtl");
        final List<Integer> sizes = new ArrayList<>();

        @Override
        public String name() {
            return "mtl";
        }

        @Override
        public String description() {
            return "recording MTL";
        }

        @Override
        public Layout layout() {
            return mtl.layout();
        }

        @Override
        public boolean paired() {
            return true;
        }

        @Override
        public boolean trainsBothTasks() {
            return true;
        }

        @Override
        public List<String> terms() {
            return mtl.terms();
        }

        @Override
        public Map<String, Tensor> terms(StepContext c) {
            sizes.add(c.size());
            return mtl.terms(c);
        }
    }

    /** @return per step, the source molecules it held, over {@code epochs} epochs */
    private static List<Integer> sourcePerStep(int sourceBatches, int epochs) {
        Recording m = new Recording();
        TransferOptions o = PairFixture.small(epochs).with(gear.train.TrainOptions.BATCH_SIZE, 3)
                .with(TransferSchema.SOURCE_BATCHES, sourceBatches);
        TransferModel model = new TransferModel(m, o, 3, new StandardScaler(new double[] {0}, new double[] {1}),
                new StandardScaler(new double[] {0}, new double[] {1}), "s", "t", Provenance.now("", 3));
        float[] yt = new float[8];
        float[] ys = new float[12];
        float[] nt = new float[8];
        float[] ns = new float[12];
        Arrays.fill(nt, Float.NaN);
        Arrays.fill(ns, Float.NaN);
        for (int i = 0; i < 12; i++) {
            ys[i] = (float) Math.sin(i);
            if (i < 8) {
                yt[i] = (float) Math.cos(i);
            }
        }
        PairData d = new PairData(GRAPHS.subList(8, 20), ys, ns, GRAPHS.subList(0, 8), yt, nt, GRAPHS.subList(0, 4),
                new double[] {1, 2, 3, 4});
        new TransferTrainer(model, 3, null).fit(d);
        // target batches of 3 molecules over 8: 3, 3, 2 per epoch
        List<Integer> out = new ArrayList<>();
        int[] target = {3, 3, 2};
        for (int i = 0; i < m.sizes.size(); i++) {
            out.add(m.sizes.get(i) - target[i % 3]);
        }
        return out;
    }

    @Test
    void sourceMoleculesPerStepFollowTheOption() {
        assertEquals(List.of(3, 3, 3, 3, 3, 3), sourcePerStep(1, 2));
        assertEquals(List.of(6, 6, 6, 6, 6, 6), sourcePerStep(2, 2));
        // capped at the source set (12 molecules)
        assertEquals(List.of(12, 12, 12), sourcePerStep(5, 1));
    }

    @Test
    void everySourceMoleculeOncePerPass() {
        MoleculeCycle c = new MoleculeCycle(12, 7);
        for (int pass = 0; pass < 3; pass++) {
            int[] seen = new int[12];
            for (int k = 0; k < 2; k++) {
                for (int i : c.next(6)) {
                    seen[i]++;
                }
            }
            int[] ones = new int[12];
            Arrays.fill(ones, 1);
            assertEquals(Arrays.toString(ones), Arrays.toString(seen), "pass " + pass);
        }
    }
}
