package gear.transfer.ktask;

import gear.transfer.TransferOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * MTL across k tasks (design/GEAR.md §5 with k heads): one shared D-MPNN embedding and encoder, one head per
 * task, l = Σ_τ MSE_m(Head_τ(z), y_τ) over the molecules labelled for τ. With k = 2 (source, target) it is the
 * two-task {@link gear.transfer.method.Mtl}. The sum runs over the tasks the phase supervises ({@link KStep#supervised()}:
 * every task, here).
 */
public class KMtl implements KMethod {
    /** The one instance. */
    public static final KMtl INSTANCE = new KMtl();

    /** Subclasses: methods of this layout and loss with other phases ({@link KFinetune}). */
    protected KMtl() {}

    @Override
    public String name() {
        return "mtl";
    }

    @Override
    public Layout layout() {
        return new Layout(true, true, false);
    }

    @Override
    public boolean isometricInit(TransferOptions o) {
        return false;
    }

    @Override
    public List<String> terms() {
        return List.of("reg");
    }

    @Override
    public double weight(String term, TransferOptions o, int epoch) {
        return 1.0;
    }

    @Override
    public Map<String, Tensor> terms(KStep c) {
        Tensor z = c.latent(c.primary());
        Tensor reg = null;
        for (int t : c.supervised()) {
            Tensor l = c.loss(c.network(t).head().forward(z, true), c.labels(t));
            reg = reg == null ? l : reg.add(l);
        }
        Map<String, Tensor> terms = new LinkedHashMap<>();
        terms.put("reg", reg);
        return terms;
    }
}
