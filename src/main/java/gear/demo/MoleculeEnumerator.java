package gear.demo;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.smiles.SmiFlavor;
import org.openscience.cdk.smiles.SmilesGenerator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the demo's molecules systematically from fragments that the Joback groups cover, with no
 * external data: alkanes up to C8; alcohols, halides, amines, thiols, nitriles, acids, aldehydes and
 * nitroalkanes on every alkyl up to C6; ethers, ketones, esters, secondary and tertiary amines,
 * sulfides, alkenes, alkynes, allenes and N-alkyl imines from small alkyls; difunctional chains X–(CH2)n–Y;
 * mono- and disubstituted (o/m/p) benzenes; substituted cyclopentanes, cyclohexanes, cycloalkanones
 * and cyclohexenes; substituted pyridines, thiophenes, furans, pyrroles and saturated heterocycles.
 *
 * <p>The result is deterministic (no randomness): the unique canonical SMILES in generation order,
 * each accepted by {@link Joback#assign} with a defined Tc. About 2,000 molecules.
 */
public final class MoleculeEnumerator {
    /** Functional substituents written attachment-atom first (so that "c1ccccc1" + s is valid). */
    static final List<String> FUNCTIONAL = List.of("O", "F", "Cl", "Br", "I", "N", "S", "C#N", "C(=O)O", "C=O",
            "[N+](=O)[O-]", "OC", "OCC", "NC", "N(C)C", "SC", "C(C)=O", "C(=O)OC", "OC(C)=O", "C=C", "C#C", "CO",
            "CCl", "C(F)(F)F");
    /** The same groups written attachment-atom last (so that p + "CC" is valid), for chain ends. */
    private static final List<String> PREFIX = List.of("O", "F", "Cl", "Br", "I", "N", "S", "N#C", "OC(=O)", "O=C",
            "[O-][N+](=O)");
    /** A smaller set for disubstituted rings, chosen to span the groups. */
    private static final List<String> PAIR_SUBS = List.of("C", "CC", "C(C)C", "O", "F", "Cl", "Br", "N", "C#N",
            "C(=O)O", "C=O", "[N+](=O)[O-]", "OC", "C(C)=O", "S");
    private static final List<String> CHAIN_ENDS = List.of("O", "Cl", "Br", "F", "N", "C#N", "OC", "C(=O)O", "C=O", "S");
    private static final List<String> CHAIN_STARTS = List.of("O", "Cl", "Br", "F", "N", "N#C", "CO", "OC(=O)", "O=C", "S");

    private MoleculeEnumerator() {}

    /**
     * @return the unique canonical SMILES of the enumerated molecules that Joback covers with a
     *     defined Tc, in generation order (deterministic)
     */
    public static List<String> enumerate() {
        List<String> out = new ArrayList<>();
        for (Joback.Assignment a : enumerateAssigned()) {
            out.add(a.smiles());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * @return the molecules of {@link #enumerate()} with their Joback group assignments (the
     *     assignment's SMILES is the canonical one)
     */
    public static List<Joback.Assignment> enumerateAssigned() {
        Set<String> seen = new HashSet<>();
        List<Joback.Assignment> out = new ArrayList<>();
        SmilesGenerator generator = new SmilesGenerator(SmiFlavor.Canonical | SmiFlavor.UseAromaticSymbols);
        for (String smiles : new LinkedHashSet<>(candidates())) {
            IAtomContainer mol;
            String canonical;
            try {
                mol = Chem.parse(smiles);
                canonical = generator.create(mol);
            } catch (InvalidSmilesException | CDKException e) {
                throw new IllegalStateException("enumerator wrote invalid SMILES " + smiles, e);
            }
            if (!seen.add(canonical)) {
                continue;
            }
            Joback.Assignment a = JobackAssigner.assign(canonical, mol);
            if (a.isAccepted() && a.tc().isPresent()) {
                out.add(a);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * CDK canonical SMILES with aromatic symbols, without stereo (the enumerated molecules have none).
     * This plays the role of {@link Chem#canonicalSmiles}, which asks CDK for stereo-aware ("absolute")
     * SMILES and so needs the cdk-inchi module that the build does not include.
     */
    static String canonical(String smiles) {
        try {
            return new SmilesGenerator(SmiFlavor.Canonical | SmiFlavor.UseAromaticSymbols).create(Chem.parse(smiles));
        } catch (InvalidSmilesException | CDKException e) {
            throw new IllegalStateException("enumerator wrote invalid SMILES " + smiles, e);
        }
    }

    /**
     * All alkyl substituents with 1..maxCarbons carbons, as SMILES with the attachment atom first,
     * each isomer once (rooted carbon trees with at most three children per atom, children listed in
     * a fixed order so that no tree is produced twice): 1, 1, 2, 4, 8, 17, 39, 89 for C1..C8.
     */
    public static List<String> alkyls(int maxCarbons) {
        List<String> trees = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int n = 1; n <= maxCarbons; n++) {
            int before = trees.size();
            List<String> made = new ArrayList<>();
            children(trees, sizes, n - 1, before - 1, 3, new ArrayList<>(), made);
            trees.addAll(made);
            for (int i = 0; i < made.size(); i++) {
                sizes.add(n);
            }
        }
        return Collections.unmodifiableList(trees);
    }

    private static void children(List<String> trees, List<Integer> sizes, int remaining, int maxIndex, int slots,
            List<String> chosen, List<String> out) {
        if (remaining == 0) {
            StringBuilder sb = new StringBuilder("C");
            for (int i = 0; i < chosen.size(); i++) {
                boolean last = i == chosen.size() - 1;
                sb.append(last ? "" : "(").append(chosen.get(i)).append(last ? "" : ")");
            }
            out.add(sb.toString());
            return;
        }
        if (slots == 0) {
            return;
        }
        for (int i = maxIndex; i >= 0; i--) {
            if (sizes.get(i) <= remaining) {
                chosen.add(trees.get(i));
                children(trees, sizes, remaining - sizes.get(i), i, slots - 1, chosen, out);
                chosen.remove(chosen.size() - 1);
            }
        }
    }

    /** @return the raw candidate SMILES, in generation order, duplicates included */
    static List<String> candidates() {
        List<String> out = new ArrayList<>();
        List<String> r8 = alkyls(8);
        List<String> r6 = upTo(r8, 6);
        List<String> r4 = upTo(r8, 4);
        List<String> r3 = upTo(r8, 3);
        // alkanes C2..C8 (an alkyl with H on the attachment atom is an alkane)
        for (String r : r8) {
            if (r.length() > 1) {
                out.add(r);
            }
        }
        // monofunctional R-X
        for (String x : PREFIX) {
            for (String r : r6) {
                out.add(x + r);
            }
        }
        // R1-L-R2 from pairs of small alkyls
        for (int i = 0; i < r4.size(); i++) {
            for (int j = 0; j < r4.size(); j++) {
                String a = r4.get(i);
                String b = r4.get(j);
                out.add("C(=O)(" + a + ")O" + b); // ester
                if (j < i) {
                    continue;
                }
                out.add("O(" + a + ")" + b); // ether
                out.add("C(=O)(" + a + ")" + b); // ketone
                out.add("N(" + a + ")" + b); // secondary amine
                out.add("S(" + a + ")" + b); // sulfide
                out.add("C(" + a + ")=C" + b); // internal alkene (no stereo)
                out.add("C(" + a + ")#C" + b); // internal alkyne
                out.add("C=C(" + a + ")" + b); // 1,1-disubstituted alkene
            }
        }
        for (String r : r6) {
            out.add("C=C" + r);
            out.add("C#C" + r);
        }
        for (String a : r3) {
            out.add("C=C=C" + a); // allene
            for (String b : r3) {
                out.add("C(" + a + ")=N" + b); // N-alkyl aldimine
            }
        }
        for (int i = 0; i < r3.size(); i++) {
            for (int j = i; j < r3.size(); j++) {
                for (int k = j; k < r3.size(); k++) {
                    out.add("N(" + r3.get(i) + ")(" + r3.get(j) + ")" + r3.get(k));
                }
            }
        }
        // difunctional chains X-(CH2)n-Y
        for (int n = 2; n <= 5; n++) {
            for (String x : CHAIN_STARTS) {
                for (String y : CHAIN_ENDS) {
                    out.add(x + "C".repeat(n) + y);
                }
            }
        }
        Rings.add(out, r4);
        return out;
    }

    private static List<String> upTo(List<String> alkyls, int carbons) {
        List<String> out = new ArrayList<>();
        for (String r : alkyls) {
            if (r.chars().filter(ch -> ch == 'C').count() <= carbons) {
                out.add(r);
            }
        }
        return out;
    }

    /** Ring systems with substituents. */
    private static final class Rings {
        private Rings() {}

        static void add(List<String> out, List<String> r4) {
            List<String> subs = new ArrayList<>(r4);
            subs.addAll(FUNCTIONAL);
            // benzenes: mono and o/m/p disubstituted
            for (String y : subs) {
                out.add("c1ccccc1" + y);
            }
            for (int i = 0; i < PAIR_SUBS.size(); i++) {
                for (int j = i; j < PAIR_SUBS.size(); j++) {
                    String a = PAIR_SUBS.get(i);
                    String b = PAIR_SUBS.get(j);
                    out.add("c1(" + a + ")c(" + b + ")cccc1");
                    out.add("c1(" + a + ")cc(" + b + ")ccc1");
                    out.add("c1(" + a + ")ccc(" + b + ")cc1");
                }
            }
            // cycloalkanes: mono, and 1,1 / 1,2 / 1,3 / 1,4 on cyclohexane
            for (String y : subs) {
                out.add("C1(" + y + ")CCCC1");
                out.add("C1(" + y + ")CCCCC1");
            }
            List<String> vinylSubs = new ArrayList<>(r4); // no OH/NH2/SH on C=C (enols are not covered)
            vinylSubs.addAll(List.of("Cl", "Br", "C#N", "C(=O)O", "C=O", "C(C)=O"));
            for (String y : vinylSubs) {
                out.add("C1(" + y + ")=CCCCC1");
            }
            List<String> cyc = PAIR_SUBS.subList(0, 11);
            for (int i = 0; i < cyc.size(); i++) {
                for (int j = i; j < cyc.size(); j++) {
                    String a = cyc.get(i);
                    String b = cyc.get(j);
                    out.add("C1(" + a + ")(" + b + ")CCCCC1");
                    out.add("C1(" + a + ")C(" + b + ")CCCC1");
                    out.add("C1(" + a + ")CC(" + b + ")CCC1");
                    out.add("C1(" + a + ")CCC(" + b + ")CC1");
                }
            }
            // cycloalkanones with alkyls
            for (String r : r4) {
                out.add("O=C1C(" + r + ")CCCC1");
                out.add("O=C1CC(" + r + ")CCC1");
                out.add("O=C1CCC(" + r + ")CC1");
                out.add("O=C1C(" + r + ")CCC1");
                out.add("O=C1CC(" + r + ")CC1");
            }
            // heteroaromatics
            for (String y : subs) {
                out.add("c1(" + y + ")ncccc1");
                out.add("c1(" + y + ")cnccc1");
                out.add("c1(" + y + ")ccncc1");
                out.add("c1(" + y + ")sccc1");
                out.add("c1(" + y + ")cscc1");
                out.add("c1(" + y + ")occc1");
                out.add("c1(" + y + ")cocc1");
                out.add("c1(" + y + ")[nH]ccc1");
                out.add("c1(" + y + ")c[nH]cc1");
            }
            // saturated heterocycles with alkyl and a few polar substituents on carbon
            List<String> hsubs = new ArrayList<>(r4);
            hsubs.addAll(List.of("CO", "C#N", "C(=O)O", "CCl"));
            for (String y : hsubs) {
                out.add("C1(" + y + ")NCCCC1");
                out.add("C1(" + y + ")CNCCC1");
                out.add("C1(" + y + ")CCNCC1");
                out.add("C1(" + y + ")OCCC1");
                out.add("C1(" + y + ")COCC1");
                out.add("C1(" + y + ")OCCCC1");
                out.add("C1(" + y + ")COCCC1");
                out.add("C1(" + y + ")CCOCC1");
                out.add("C1(" + y + ")SCCC1");
                out.add("C1(" + y + ")CSCC1");
            }
        }
    }
}
