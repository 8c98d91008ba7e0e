package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GATE's {@code gate_phi_init}: off by default (GATE as before), GEAR's calibration of φ when asked. */
class GateIsometricInitTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    private static Tensor probes(long seed, int b, int d) {
        Random r = new Random(seed);
        double[] v = new double[b * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Tensors.of(v, b, d).to(ScalarType.Float);
    }

    @Test
    void gateMapsAreCalibratedOnlyWhenAsked() {
        TransferOptions o = TransferOptions.defaults().with(TransferSchema.HIDDEN_SIZE, 16).with(TransferSchema.LATENT_SIZE, 16);
        Tensor z = probes(11, 64, 16);
        TransferModel iso = new TransferModel(Methods.get("gate"), o.with(TransferSchema.GATE_PHI_INIT, "isometric"), 1, null,
                null, "s", "t", null);
        TransferModel plain = new TransferModel(Methods.get("gate"), o, 1, null, null, "s", "t", null);
        for (Task t : Task.values()) {
            assertEquals(1.0, PhiInit.meanEigenvalue(iso.network(t).phi(), z), 0.2, t + " φ mean eigenvalue (isometric)");
            assertTrue(PhiInit.meanEigenvalue(plain.network(t).phi(), z) < 0.2, t + " φ mean eigenvalue (default)");
        }
        // GEAR's phi_init does not reach GATE, and gate_phi_init does not reach GEAR
        TransferModel gearOff = new TransferModel(Methods.get("gear"), o.with(TransferSchema.PHI_INIT, "default")
                .with(TransferSchema.GATE_PHI_INIT, "isometric"), 1, null, null, "s", "t", null);
        assertTrue(PhiInit.meanEigenvalue(gearOff.network(Task.TARGET).phi(), z) < 0.2);
        assertFalse(Methods.get("gate").isometricInit(o));
        assertTrue(Methods.get("gear").isometricInit(o));
        assertFalse(Methods.get("mtl").isometricInit(o));
    }

    @Test
    void oldFilesReadWithTheDefaults() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode old = TransferOptions.defaults().toJson(json);
        old.remove("gate_phi_init");
        old.remove("curv_loss");
        old.remove("curv_c");
        TransferOptions read = TransferOptions.fromJson(old);
        assertFalse(read.gateIsometricInit());
        assertEquals("mse", read.curvLoss());
        TransferOptions set = TransferOptions.defaults().with(TransferSchema.CURV_LOSS, "relative")
                .with(TransferSchema.GATE_PHI_INIT, "isometric");
        assertEquals(set, TransferOptions.fromJson(set.toJson(json)));
    }
}
