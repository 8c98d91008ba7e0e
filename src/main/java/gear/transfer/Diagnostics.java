package gear.transfer;

import gear.geometry.Curvature.Route;
import gear.geometry.LatentDiagnostics;
import org.bytedeco.javacpp.PointerScope;

/** Curvature diagnostics of a transfer model's latent manifolds at given latent points. */
public final class Diagnostics {
    private static final int CHUNK = 256;

    private Diagnostics() {}

    /**
     * {@link LatentDiagnostics} of task {@code t}'s map φ_t at the points {@code z}, evaluated in chunks.
     *
     * @param z latent points (from {@link TransferModel#latent})
     * @throws IllegalArgumentException when the model has no transfer maps
     */
    public static LatentDiagnostics evaluate(TransferModel m, Task t, double[][] z, Route route) {
        if (!m.network(t).hasTransferMaps()) {
            throw new IllegalArgumentException("a " + m.method().name() + " model has no transfer maps");
        }
        return evaluate(m.network(t), z, route);
    }

    /**
     * {@link LatentDiagnostics} of a task network's map φ at the points {@code z} (a two-task or a k-task model's),
     * evaluated in chunks.
     *
     * @throws IllegalArgumentException when the network has no transfer map
     */
    public static LatentDiagnostics evaluate(TaskNetwork net, double[][] z, Route route) {
        if (!net.hasTransferMaps()) {
            throw new IllegalArgumentException("the task network has no transfer map");
        }
        int n = z.length;
        double[] norm = new double[n];
        double[] cond = new double[n];
        double[] ricci = new double[n];
        boolean[] singular = new boolean[n];
        for (int i = 0; i < n; i += CHUNK) {
            double[][] part = java.util.Arrays.copyOfRange(z, i, Math.min(n, i + CHUNK));
            try (PointerScope scope = new PointerScope()) {
                LatentDiagnostics d = LatentDiagnostics.evaluate(net.phi(), onDeviceOf(net, TransferModel.cpuTensor(part)),
                        route, null);
                System.arraycopy(d.latentNorm(), 0, norm, i, part.length);
                System.arraycopy(d.condition(), 0, cond, i, part.length);
                System.arraycopy(d.ricci(), 0, ricci, i, part.length);
                System.arraycopy(d.singular(), 0, singular, i, part.length);
            }
        }
        return new LatentDiagnostics(norm, cond, ricci, singular, route);
    }

    /** @return {@code t} on the device of the network's map φ (itself on the CPU) */
    private static org.bytedeco.pytorch.Tensor onDeviceOf(TaskNetwork net, org.bytedeco.pytorch.Tensor t) {
        org.bytedeco.pytorch.Device d = net.phi().weight(0).device();
        return d.is_cpu() ? t : t.to(d, t.scalar_type());
    }
}
