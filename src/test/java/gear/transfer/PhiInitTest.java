package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.geometry.Curvature;
import gear.geometry.SiluMlp;
import gear.nn.Params;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The GEAR geometry fixes: near-isometric φ initialization and the curvature warm-up. */
class PhiInitTest {
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
        return Tensors.of(v, b, d);
    }

    private static SiluMlp phi(Params p, String name) {
        Torch.seed(3);
        return SiluMlp.float64(p, name, 16, 32, 32);
    }

    @Test
    void defaultInitIsFarFromIsometricAndIsometricInitHasMeanEigenvalueOne() {
        Tensor z = probes(99, 128, 16); // other points than the calibration probes
        SiluMlp plain = phi(new Params(), "a");
        double before = PhiInit.meanEigenvalue(plain, z);
        assertTrue(before < 0.2, "PyTorch-default init shrinks the manifold: mean eigenvalue " + before);
        SiluMlp iso = phi(new Params(), "b");
        double c = PhiInit.isometric(iso, 5);
        double after = PhiInit.meanEigenvalue(iso, z);
        assertEquals(1.0, after, 0.15, "mean eigenvalue of g after isometric init");
        assertEquals(1.0 / Math.sqrt(before), c, 0.25 * c, "factor c ≈ (mean eigenvalue)^{-1/2}");
    }

    @Test
    void isometricInitRescalesOnlyTheSizeSoRTimesC2IsUnchanged() {
        Tensor z = probes(7, 16, 16);
        SiluMlp plain = phi(new Params(), "a");
        SiluMlp iso = phi(new Params(), "b");
        double c = PhiInit.isometric(iso, 5);
        double[] r0 = Tensors.toDoubles(Curvature.ricciScalar(plain, z, Curvature.Route.GAUSS).scalar());
        double[] r1 = Tensors.toDoubles(Curvature.ricciScalar(iso, z, Curvature.Route.GAUSS).scalar());
        for (int i = 0; i < r0.length; i++) {
            assertEquals(r0[i], r1[i] * c * c, 1e-6 * Math.max(1, Math.abs(r0[i])), "R·c² at point " + i);
            assertTrue(Math.abs(r1[i]) < Math.abs(r0[i]), "curvature shrinks by 1/c² with c > 1");
        }
        assertTrue(c > 1);
    }

    @Test
    void curvatureWeightRampsLinearlyOverTheWarmUp() {
        TransferOptions none = TransferOptions.defaults().with(TransferSchema.W_CURV, 0.5);
        assertEquals(0.5, gear.transfer.method.Gear.curvWeight(none, 0), 0);
        TransferOptions ramp = none.with(TransferSchema.PHI_INIT, "default").with(TransferSchema.CURV_WARMUP, 4.0);
        assertEquals(0.0, gear.transfer.method.Gear.curvWeight(ramp, 0), 0);
        assertEquals(0.25, gear.transfer.method.Gear.curvWeight(ramp, 2), 1e-12);
        assertEquals(0.5, gear.transfer.method.Gear.curvWeight(ramp, 4), 0);
        assertEquals(0.5, gear.transfer.method.Gear.curvWeight(ramp, 9), 0);
    }

    @Test
    void optionsJsonRoundTripsTheFixesAndOldFilesReadAsWithout() {
        ObjectMapper json = new ObjectMapper();
        TransferOptions o = TransferOptions.defaults().with(TransferSchema.PHI_INIT, "isometric").with(TransferSchema.CURV_WARMUP, 3.0);
        assertEquals(o, TransferOptions.fromJson(o.toJson(json)));
        TransferOptions off = TransferOptions.defaults().with(TransferSchema.PHI_INIT, "default").with(TransferSchema.CURV_WARMUP, 0.0);
        ObjectNode old = off.toJson(json);
        old.remove("phi_init");
        old.remove("curv_warmup");
        TransferOptions read = TransferOptions.fromJson(old);
        assertFalse(read.isometricInit());
        assertEquals(0.0, read.curvWarmup(), 0);
    }

    @Test
    void modelBuiltWithIsometricInitHasCalibratedMaps() {
        TransferOptions o = TransferOptions.defaults().with(TransferSchema.HIDDEN_SIZE, 16).with(TransferSchema.LATENT_SIZE, 16)
                .with(TransferSchema.PHI_INIT, "isometric").with(TransferSchema.CURV_WARMUP, 0.0);
        TransferModel m = new TransferModel(Methods.get("gear"), o, 1, null, null, "s", "t", null);
        Tensor z = probes(11, 64, 16).to(ScalarType.Float);
        for (Task t : Task.values()) {
            assertEquals(1.0, PhiInit.meanEigenvalue(m.network(t).phi(), z), 0.2, t + " φ mean eigenvalue");
        }
        TransferModel d = new TransferModel(Methods.get("gear"), o.with(TransferSchema.PHI_INIT, "default").with(TransferSchema.CURV_WARMUP, 0.0), 1, null, null, "s", "t", null);
        assertTrue(PhiInit.meanEigenvalue(d.network(Task.TARGET).phi(), z) < 0.2);
    }
}
