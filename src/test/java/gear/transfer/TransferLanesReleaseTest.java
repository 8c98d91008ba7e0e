package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Adam;
import gear.nn.Lanes;
import gear.nn.Params;
import gear.train.Regression;
import gear.train.TrainingDivergedException;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A step that fails before its backward pass (a diverged loss) leaves no tensor in the scopes of the lanes: the engine
 * closes the objective, which releases them, and {@link TransferTrainer#step} releases them itself.
 */
class TransferLanesReleaseTest {
    private static final int[] TI = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    @BeforeAll
    static void init() throws Exception {
        TransferGradientTest.init();
    }

    private static TransferModel model(String method) {
        TransferOptions o = PairFixture.small(1).with(TransferSchema.CURV_SUBSET, 6);
        return new TransferModel(Methods.get(method), o, 3, new gear.data.StandardScaler(new double[] {0}, new double[] {1}),
                new gear.data.StandardScaler(new double[] {0}, new double[] {1}), "s", "t", gear.train.Provenance.now("", 3));
    }

    @Test
    void closingTheObjectiveReleasesTheLanesOfAStepWithoutBackward() {
        TransferModel m = model("gear");
        Lanes lanes = new Lanes(2);
        try {
            TransferObjective obj = new TransferObjective(m, TransferGradientTest.data(), false, 3, false, Regression.INSTANCE,
                    TransferObjective.encoderSteps(m, lanes), lanes, true);
            obj.beginEpoch(1, List.of());
            try (PointerScope scope = new PointerScope()) {
                obj.forward(TI, TI, 0, 1); // the engine stops here when the loss is not finite
            }
            assertTrue(lanes.openScopes() > 0, "the forward pass ran on the second lane");
            obj.close();
            assertEquals(0, lanes.openScopes());
        } finally {
            lanes.close();
        }
    }

    @Test
    void aDivergedStepReleasesTheLanes() {
        TransferModel m = model("mtl"); // NaN weights: a NaN loss (GEAR's curvature would fail in its eigensolver first)
        Params p = m.params();
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            for (Tensor t : p.asMap().values()) {
                if (t.dim() == 2) {
                    t.fill_(new Scalar(Double.NaN));
                }
            }
        }
        TransferTrainer tr = new TransferTrainer(m, 3, null).lanes(2);
        Adam adam = new Adam(p, 1e-3);
        assertThrows(TrainingDivergedException.class, () -> tr.step(p, adam, TransferGradientTest.data(), TI, TI, 0, 1, 0, 0.0));
        assertEquals(0, tr.lanes().openScopes());
    }
}
