package gear.transfer;

import gear.train.Engine;
import java.util.SplittableRandom;

/**
 * A task's molecules in a shuffled order that is cycled and re-shuffled each time it is used up: the source
 * mini-batches of the paired methods (one per target batch), and each task's batches of a k-task run. Round r's
 * order is {@code Engine.permutation(n, SplittableRandom(Engine.mix(seed ^ 0x51A3C0FFEE, r)))}.
 */
public final class MoleculeCycle {
    private final int n;
    private final long seed;
    private int[] order;
    private int pos;
    private int round;

    /**
     * @param n number of molecules
     * @param seed seed of the shuffles
     */
    public MoleculeCycle(int n, long seed) {
        this.n = n;
        this.seed = seed;
    }

    /**
     * @param k molecules wanted
     * @return the next min(k, n) positions of the cycle
     */
    public int[] next(int k) {
        int m = Math.min(k, n);
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            if (order == null || pos == order.length) {
                order = Engine.permutation(n, new SplittableRandom(Engine.mix(seed ^ 0x51A3C0FFEEL, round++)));
                pos = 0;
            }
            out[i] = order[pos++];
        }
        return out;
    }
}
