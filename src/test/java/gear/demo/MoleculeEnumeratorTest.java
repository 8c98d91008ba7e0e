package gear.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MoleculeEnumeratorTest {
    private static List<String> molecules;

    @BeforeAll
    static void enumerateOnce() {
        molecules = MoleculeEnumerator.enumerate();
    }

    /** Alkyl radicals CnH2n+1 per n (OEIS A000598): 1, 1, 2, 4, 8, 17, 39, 89 for n = 1..8. */
    @Test
    void alkylIsomerCounts() {
        int[] expected = {1, 1, 2, 4, 8, 17, 39, 89};
        List<String> all = MoleculeEnumerator.alkyls(8);
        for (int n = 1; n <= 8; n++) {
            final int carbons = n;
            long count = all.stream().filter(r -> r.chars().filter(c -> c == 'C').count() == carbons).count();
            assertEquals(expected[n - 1], count, "C" + n + " alkyls");
        }
        Set<String> canonical = new HashSet<>();
        for (String r : all) {
            assertTrue(canonical.add(MoleculeEnumerator.canonical("Cl" + r)), "alkyl listed twice: " + r);
        }
    }

    /** Alkane isomers C2..C8: 1, 1, 2, 3, 5, 9, 18 = 39 (OEIS A000602). */
    @Test
    void containsExactlyTheAlkanesUpToC8() {
        long alkanes = molecules.stream().filter(s -> s.matches("[C()]+")).count();
        assertEquals(39, alkanes);
    }

    @Test
    void sizeUniquenessAndDeterminism() {
        assertTrue(molecules.size() >= 1500 && molecules.size() <= 3000, "size " + molecules.size());
        assertEquals(molecules.size(), new LinkedHashSet<>(molecules).size(), "duplicates");
        assertEquals(molecules, MoleculeEnumerator.enumerate(), "not deterministic");
        for (String s : molecules.subList(0, 200)) {
            assertEquals(s, MoleculeEnumerator.canonical(s), "not canonical: " + s);
        }
    }

    @Test
    void everyCandidateIsCoveredByJoback() {
        List<String> rejected = new ArrayList<>();
        for (String s : new LinkedHashSet<>(MoleculeEnumerator.candidates())) {
            Joback.Assignment a = Joback.assign(s);
            if (!a.isAccepted() || a.tc().isEmpty()) {
                rejected.add(s + " (" + a.reason() + ")");
            }
        }
        assertEquals(List.of(), rejected);
    }

    /** Every group with a Tc contribution occurs, except =O (other), which only ketenes and the like would need. */
    @Test
    void spansTheGroupTable() {
        Set<JobackGroup> seen = EnumSet.noneOf(JobackGroup.class);
        for (String s : molecules) {
            seen.addAll(Joback.assign(s).counts().keySet());
        }
        Set<JobackGroup> missing = EnumSet.complementOf(EnumSet.copyOf(seen));
        assertEquals(EnumSet.of(JobackGroup.EQ_O, JobackGroup.EQ_NH), missing);
    }
}
