package gear.nn;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;

/**
 * K data-parallel lanes of a training step: lane 0 is the calling thread, lanes 1..K−1 are dedicated
 * Java threads, each with one libtorch intra-op thread ({@code at::set_num_threads(1)}, set on the lane
 * itself). {@link #run} runs one task per lane and returns when all are done, so whatever the lanes
 * compute is combined afterwards by the caller in a fixed order: results do not depend on timing.
 *
 * <p>Pointer scopes are per thread in JavaCPP: lane k ≥ 1 opens its own {@link PointerScope} at its first
 * task after a {@link #release()} and keeps it open across tasks (a step's forward and backward), so the
 * tensors a lane makes in the forward pass live until the backward pass is done; {@link #release()} closes
 * the lanes' scopes (call it when the step is over: each lane closes its own as its next task, without the
 * caller waiting). Lane 0's tensors belong to the caller's scopes.
 *
 * <p>A lane's thread ends after {@value #IDLE_SECONDS} s without work and is made again on demand, so an owner need
 * not close the lanes. Not thread-safe: one caller (the training thread).
 */
public final class Lanes implements AutoCloseable {
    /** A lane's thread ends after this long without work (a step's scope is closed by then: {@link #release()}). */
    private static final long IDLE_SECONDS = 30;
    private final int k;
    private final ExecutorService[] workers;
    private final PointerScope[] scopes;
    /** The lanes' scope releases still under way (null where none). */
    private final Future<?>[] releasing;

    /** {@code k} lanes (1 = no extra thread: every task runs on the caller). */
    public Lanes(int k) {
        Torch.ensure();
        if (k < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, got " + k);
        }
        this.k = k;
        workers = new ExecutorService[k];
        scopes = new PointerScope[k];
        releasing = new Future<?>[k];
        for (int i = 1; i < k; i++) {
            int lane = i;
            ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> {
                        Thread t = new Thread(() -> {
                            torch.set_num_threads(1);
                            r.run();
                        }, "gear-lane-" + lane);
                        t.setDaemon(true);
                        return t;
                    });
            e.allowCoreThreadTimeOut(true); // an owner that never calls close() leaves no thread behind
            workers[i] = e;
        }
    }

    /** @return the number of lanes */
    public int size() {
        return k;
    }

    /**
     * Runs {@code task.accept(i)} on lane i for every lane (lane 0 on the calling thread) and waits for
     * all; the first failure (in lane order) is rethrown after all lanes are done.
     */
    public void run(IntConsumer task) {
        if (k == 1) {
            task.accept(0);
            return;
        }
        @SuppressWarnings("unchecked")
        Future<?>[] f = new Future<?>[k];
        for (int i = 1; i < k; i++) {
            int lane = i;
            f[i] = workers[i].submit(() -> {
                if (scopes[lane] == null) {
                    scopes[lane] = new PointerScope();
                }
                task.accept(lane);
            });
        }
        Throwable failure = null;
        try {
            task.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        try {
            awaitRelease(); // queued before this run's tasks on every lane, so already done
        } catch (RuntimeException e) {
            failure = failure != null ? failure : e;
        }
        for (int i = 1; i < k; i++) {
            try {
                f[i].get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("interrupted while waiting for lane " + i, e);
            } catch (ExecutionException e) {
                failure = failure != null ? failure : e.getCause();
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error er) {
            throw er;
        }
        if (failure != null) {
            throw new IllegalStateException("lane failed: " + failure, failure);
        }
    }

    /**
     * Queues {@code task} on the last lane, behind its pending tasks (after a {@link #release()}: outside any scope,
     * so whatever pointers it makes are unscoped), and returns at once.
     */
    public <T> Future<T> background(java.util.concurrent.Callable<T> task) {
        if (k == 1) {
            throw new IllegalStateException("no lane besides the caller's");
        }
        return workers[k - 1].submit(task);
    }

    /** @return how many lanes hold an open scope (tensors made since the last {@link #release()}); 0 between steps */
    public int openScopes() {
        awaitRelease();
        int n = 0;
        for (PointerScope s : scopes) {
            if (s != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * Closes the scopes the lanes opened (frees the tensors they made since the last release). Each lane closes
     * its own scope as its next task, so the caller does not wait for it (the lanes free their tensors while the
     * caller goes on, e.g. with the optimizer step); the next {@link #run} is queued behind it on every lane.
     */
    public void release() {
        if (k == 1) {
            return;
        }
        awaitRelease();
        for (int i = 1; i < k; i++) {
            int lane = i;
            releasing[i] = workers[i].submit(() -> {
                if (scopes[lane] != null) {
                    scopes[lane].close();
                    scopes[lane] = null;
                }
            });
        }
    }

    /** Waits for the lanes' last {@link #release()} and rethrows its failure. */
    private void awaitRelease() {
        for (int i = 1; i < k; i++) {
            Future<?> f = releasing[i];
            if (f == null) {
                continue;
            }
            releasing[i] = null;
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                throw new IllegalStateException("releasing lane " + i + " failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** Releases the lanes' scopes and stops their threads. */
    @Override
    public void close() {
        try {
            release();
            awaitRelease();
        } finally {
            for (int i = 1; i < k; i++) {
                workers[i].shutdown();
            }
        }
    }
}
