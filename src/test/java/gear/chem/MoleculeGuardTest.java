package gear.chem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One molecule's failure stays that molecule's: long chains, stack overflows, other errors, pseudo-atoms. */
class MoleculeGuardTest {
    /** Runs on a thread with a 1 MiB stack, the default of pool threads, where the old code overflowed. */
    private static <T> T onSmallStack(MoleculeGuard.Work<T> work) throws Throwable {
        AtomicReference<Object> out = new AtomicReference<>();
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                out.set(work.run());
            } catch (Throwable e) {
                err.set(e);
            }
        }, "small-stack", 1L << 20);
        t.start();
        t.join();
        if (err.get() != null) {
            throw err.get();
        }
        @SuppressWarnings("unchecked")
        T r = (T) out.get();
        return r;
    }

    @Test
    void sixThousandAtomChainIsAMolecule() throws Throwable {
        String chain = "C".repeat(6000);
        assertEquals(chain, onSmallStack(() -> Chem.canonicalSmiles(chain)));
        assertEquals(6000, (int) onSmallStack(() -> Chem.featurize(chain).nAtoms()));
        assertEquals("", onSmallStack(() -> Chem.scaffold(chain)));
    }

    private static int depth(int n) {
        return n <= 0 ? 0 : 1 + depth(n + 1);
    }

    @Test
    void stackOverflowBecomesThatMoleculesError() {
        InvalidSmilesException e = assertThrows(InvalidSmilesException.class,
                () -> MoleculeGuard.run("CCO", () -> String.valueOf(depth(1))));
        assertTrue(e.getMessage().contains("molecule too large"), e.getMessage());
        // the same on the large-stack helper thread
        String longSmiles = "C".repeat(MoleculeGuard.INLINE_CHARS + 1);
        InvalidSmilesException e2 = assertThrows(InvalidSmilesException.class,
                () -> MoleculeGuard.run(longSmiles, () -> String.valueOf(depth(1)), 4L << 20));
        assertTrue(e2.getMessage().contains("1001 characters"), e2.getMessage());
    }

    @Test
    void otherErrorsBecomeThatMoleculesErrorButOutOfMemoryPropagates() {
        InvalidSmilesException e = assertThrows(InvalidSmilesException.class, () -> MoleculeGuard.run("CCO", () -> {
            throw new AssertionError("toolkit invariant");
        }));
        assertTrue(e.getMessage().contains("toolkit invariant"), e.getMessage());
        assertThrows(OutOfMemoryError.class, () -> MoleculeGuard.run("CCO", () -> {
            throw new OutOfMemoryError("Java heap space");
        }));
        assertThrows(IllegalStateException.class, () -> MoleculeGuard.run("C".repeat(2000), () -> {
            throw new IllegalStateException("runtime exceptions pass through unchanged");
        }));
    }

    @Test
    void pseudoAtomsAreRejectedWithTheAtom() {
        for (String s : new String[] {"[Xx]", "[R]", "*", "C*", "[R1]CC", "[*:1]CC", "CC[R2]", "[D]C"}) {
            InvalidSmilesException e = assertThrows(InvalidSmilesException.class, () -> Chem.featurize(s), s);
            assertTrue(e.getMessage().contains("pseudo-atom"), s + ": " + e.getMessage());
            assertThrows(InvalidSmilesException.class, () -> Chem.canonicalSmiles(s), s);
            assertThrows(InvalidSmilesException.class, () -> Chem.scaffold(s), s);
        }
        InvalidSmilesException e = assertThrows(InvalidSmilesException.class, () -> Chem.parse("CC*"));
        assertTrue(e.getMessage().contains("atom 3"), e.getMessage());
    }

    @Test
    void heavyElementsBeyondTheOneHotRangeStillFeaturize() throws InvalidSmilesException {
        // chemprop puts atomic numbers above 100 in the "other" slot; they are elements, not placeholders
        for (String s : new String[] {"[Rf]", "[Og]", "[Xe]"}) {
            assertEquals(1, Chem.featurize(s).nAtoms(), s);
        }
    }

    @Test
    void longSmilesAreAbbreviatedInMessages() {
        String chain = "C".repeat(500) + "(";
        InvalidSmilesException e = assertThrows(InvalidSmilesException.class, () -> Chem.canonicalSmiles(chain));
        assertTrue(e.getMessage().length() < 400, e.getMessage());
        assertTrue(e.getMessage().contains("(501 characters)"), e.getMessage());
    }
}
