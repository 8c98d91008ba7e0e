package gear.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.geometry.Curvature;
import gear.geometry.Curvature.Options;
import gear.geometry.Curvature.Route;
import gear.geometry.CurvatureResult;
import gear.geometry.MlpDerivatives;
import gear.geometry.MlpGaussCurvature;
import gear.geometry.SiluMlp;
import gear.nn.Params;
import gear.nn.Torch;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The curvature routes on CUDA against the CPU, float32: R and the weight gradient of mean(R²) of the
 * rank-one Gauss kernel, the dense Gauss route and the intrinsic route. Each float32 result is compared with
 * the CPU float64 result of the same weights, and the CUDA error must stay within 10× the CPU float32 error
 * (and 1e-4 relative): the GPU is as accurate as the CPU in single precision. Tagged {@code gpu}; skipped
 * without a CUDA device.
 */
@Tag("gpu")
class GpuCurvatureTest {
    private interface Run {
        CurvatureResult apply(SiluMlp mlp, Tensor z, Options opt);
    }

    @Test
    void routesMatchCpu() {
        Device cuda = GpuTrainStepTest.cuda();
        Route[] routes = {Route.GAUSS, Route.GAUSS, Route.INTRINSIC};
        Run[] runs = {
            (mlp, z, opt) -> MlpGaussCurvature.ricciScalar(mlp, z, opt),
            (mlp, z, opt) -> Curvature.ricciScalar(new MlpDerivatives(mlp).derivatives(z, 2), Route.GAUSS, opt),
            (mlp, z, opt) -> Curvature.ricciScalar(new MlpDerivatives(mlp).derivatives(z, 3), Route.INTRINSIC, opt),
        };
        String[] names = {"gauss (rank-one)", "gauss-dense", "intrinsic"};
        int[] widths = {8, 24, 24};
        for (int k = 0; k < runs.length; k++) {
            try (PointerScope s = new PointerScope()) {
                Torch.seed(3);
                SiluMlp m64 = SiluMlp.float64(new Params(), "phi", widths);
                Torch.seed(3);
                SiluMlp m32 = SiluMlp.float32(new Params(), "phi", widths);
                SiluMlp g32 = m32.copyTo(new Params(), "phi", cuda);
                Torch.seed(4);
                Tensor z64 = torch.randn(new long[] {32, widths[0]}, gear.nn.Tensors.options(ScalarType.Double));
                Tensor z32 = z64.to(ScalarType.Float);
                Tensor[] ref = result(runs[k], m64, z64, Options.defaults(ScalarType.Double));
                Tensor[] cpu = result(runs[k], m32, z32, Options.defaults(ScalarType.Float));
                Tensor[] gpu = result(runs[k], g32, z32.to(cuda, ScalarType.Float), Options.defaults(ScalarType.Float));
                for (int i = 0; i < ref.length; i++) {
                    String what = names[k] + (i == 0 ? " R" : " gradient of W" + (i - 1)) + " (" + routes[k] + ")";
                    double eCpu = GpuTrainStepTest.relErr(cpu[i], ref[i]);
                    double eGpu = GpuTrainStepTest.relErr(gpu[i], ref[i]);
                    assertTrue(eGpu <= Math.max(10 * eCpu, 1e-4), what + ": CUDA rel err " + eGpu + ", CPU float32 rel err " + eCpu);
                }
            }
        }
    }

    /** {R, ∂mean(R²)/∂W₀, ∂mean(R²)/∂W₁}. */
    private static Tensor[] result(Run run, SiluMlp mlp, Tensor z, Options opt) {
        CurvatureResult r = run.apply(mlp, z, opt);
        assertTrue(r.singularCount() == 0, "no singular point");
        r.scalar().square().mean().backward();
        return new Tensor[] {r.scalar().detach(), mlp.weight(0).grad().clone(), mlp.weight(1).grad().clone()};
    }
}
