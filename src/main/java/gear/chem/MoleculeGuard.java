package gear.chem;

/**
 * Runs the chemistry of one molecule so that whatever goes wrong stays that molecule's problem.
 *
 * <p>CDK walks molecular graphs recursively (ring perception, SMILES writing), one stack frame per
 * atom along a path: a long chain of a few thousand atoms overflows a thread's default stack. Work on
 * a SMILES longer than {@link #INLINE_CHARS} characters therefore runs on a helper thread with a
 * {@link #STACK_BYTES} stack (reserved address space, committed only as used), which carries chains of
 * about 250,000 atoms. What still fails becomes an {@link InvalidSmilesException} naming the
 * molecule: a {@link StackOverflowError} ("molecule too large") and any other {@link Error} except
 * out-of-memory and broken-installation errors ({@link VirtualMachineError} other than stack overflow,
 * {@link LinkageError}), which are the whole run's problem and propagate.
 */
final class MoleculeGuard {
    /** SMILES up to this length run on the calling thread (chains of 3,000 atoms fit a 1 MiB stack). */
    static final int INLINE_CHARS = 1000;
    /**
     * Stack of the helper thread for longer SMILES: about 250 bytes per atom of chain are needed, so
     * 64 MiB carry about 250,000 atoms, far beyond the 10,000 atoms CDK's canonical labelling takes.
     */
    static final long STACK_BYTES = 64L << 20;

    private static final ThreadLocal<Boolean> GUARDED = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** Work on one molecule. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws InvalidSmilesException;
    }

    private MoleculeGuard() {}

    /**
     * Runs {@code work} for the molecule {@code smiles}, on a large-stack thread when the SMILES is long.
     *
     * @throws InvalidSmilesException from the work, or for a stack overflow or other per-molecule error
     */
    static <T> T run(String smiles, Work<T> work) throws InvalidSmilesException {
        return run(smiles, work, STACK_BYTES);
    }

    /** As {@link #run(String, Work)} with the helper thread's stack size given (for tests). */
    static <T> T run(String smiles, Work<T> work, long stackBytes) throws InvalidSmilesException {
        if (GUARDED.get()) {
            return work.run(); // nested call: the outer guard catches
        }
        if (smiles == null || smiles.length() <= INLINE_CHARS) {
            return guarded(smiles, work);
        }
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = guarded(smiles, work);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "gear-large-molecule", stackBytes);
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure[0];
        if (f instanceof InvalidSmilesException e) {
            throw e;
        } else if (f instanceof RuntimeException e) {
            throw e;
        } else if (f instanceof Error e) {
            throw e;
        } else if (f != null) {
            throw new IllegalStateException(f);
        }
        @SuppressWarnings("unchecked")
        T r = (T) result[0];
        return r;
    }

    private static <T> T guarded(String smiles, Work<T> work) throws InvalidSmilesException {
        GUARDED.set(Boolean.TRUE);
        try {
            return work.run();
        } catch (StackOverflowError e) {
            throw new InvalidSmilesException("molecule too large for the chemistry toolkit (its graph walk overflowed "
                    + "the stack; " + describe(smiles) + ")", null);
        } catch (VirtualMachineError | LinkageError e) {
            throw e;
        } catch (Error e) {
            throw new InvalidSmilesException("internal error of the chemistry toolkit on this molecule: " + e, e);
        } finally {
            GUARDED.set(Boolean.FALSE);
        }
    }

    /** @return the SMILES length, for messages about very large molecules */
    private static String describe(String smiles) {
        return smiles == null ? "no SMILES" : "SMILES of " + smiles.length() + " characters";
    }

    /**
     * @return the SMILES as shown in messages: whole up to 80 characters, else its start, an ellipsis
     *     and the length
     */
    static String abbreviate(String smiles) {
        if (smiles == null || smiles.length() <= 80) {
            return smiles;
        }
        return smiles.substring(0, 60) + "... (" + smiles.length() + " characters)";
    }
}
