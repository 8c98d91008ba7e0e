package gear.nn;

import gear.chem.MolGraph;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Where a model's weights live, and the one way everything computed from them gets there: a model ({@link Dmpnn},
 * a transfer or k-task model) is made on the CPU and {@link #moveTo moved} once, before training, to the device of a
 * run ({@code --device}); its batches ({@link #batch}) and the tensors made on the CPU for it (labels, noise drawn
 * from the CPU generator, index tensors: {@link #onDevice}) follow it. A model never moved is on the CPU and these
 * calls make exactly the tensors they made before devices existed (no copy, the same bits).
 */
public final class Placement {
    /** The device the weights were moved to; null before (the CPU, where a model is made). */
    private Device moved;

    /**
     * Moves every parameter to {@code device} in place ({@link Params#moveTo}; a no-op where they already are) and
     * remembers it. Call it before anything caches buffers made from the weights (an optimizer, a training step).
     */
    public void moveTo(Params params, Device device) {
        params.moveTo(device);
        // its own copy, outside any scope the caller holds (on the CPU too: the same path, tensors moved nowhere)
        Device d = new Device(params.device().str().getString());
        d.retainReference();
        moved = d;
    }

    /** @return the device of the weights (the CPU unless moved elsewhere) */
    public Device device() {
        return moved == null ? Torch.device("cpu") : moved;
    }

    /** @return {@code t} on the device of the weights (itself when it is there, e.g. on the CPU) */
    public Tensor onDevice(Tensor t) {
        return moved == null ? t : t.to(moved, t.scalar_type());
    }

    /** @return a batch of {@code graphs} in {@code type} on the device of the weights */
    public BatchGraph batch(List<MolGraph> graphs, ScalarType type) {
        return BatchGraph.of(graphs, type, moved);
    }

    /** @return a batch made from prebuilt arrays in {@code type} on the device of the weights */
    public BatchGraph batch(BatchGraph.Arrays arrays, ScalarType type) {
        return BatchGraph.of(arrays, type, moved);
    }
}
