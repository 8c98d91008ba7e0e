package gear.chem;

import java.io.IOException;
import java.util.Arrays;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.graph.GraphUtil;
import org.openscience.cdk.graph.invariant.Canon;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IBond;
import org.openscience.cdk.smiles.SmilesGenerator;

/**
 * Writes canonical isomeric SMILES: atoms are put in a canonical order and bonds sorted by their canonical ends,
 * then the SMILES is written in container order.
 *
 * <p>A molecule whose atoms are all told apart by CDK's symmetry classes ({@link Canon#symmetry}) gets CDK's
 * canonical labelling ({@link Canon#label}). When symmetry-equivalent atoms remain, CDK's tie-break can depend on
 * the input spelling: its labelling ignores stereo and bond orders, and its refinement does not always separate
 * atoms that no automorphism maps onto each other (1,5-dicyclohexylpentane, cyclooctatetraene and amitriptyline's
 * ring system were written two ways). Then every labelling reachable by individualization–refinement (individualize
 * each member of the first non-trivial cell, refine, recurse; McKay, Congr. Numer. 30:45, 1981) is written and the
 * lexicographically smallest string is taken; this set does not depend on the input order, so the result is
 * canonical. The search is capped ({@value #MAX_LEAVES} labellings); beyond that the plain CDK order is used.
 * Stereo the featurizer does not encode is removed before ({@link Chem#canonicalSmiles}).
 */
final class CanonicalWriter {
    static final int MAX_LEAVES = 256;

    private final IAtomContainer mol;
    private final SmilesGenerator gen;
    private final IAtom[] atoms;
    private final IBond[] bonds;
    private final int[] bu;
    private final int[] bv;
    private final int[][] g;
    private String best;
    private int leaves;

    private CanonicalWriter(IAtomContainer mol, SmilesGenerator gen) {
        this.mol = mol;
        this.gen = gen;
        int n = mol.getAtomCount();
        atoms = new IAtom[n];
        for (int i = 0; i < n; i++) {
            atoms[i] = mol.getAtom(i);
        }
        bonds = new IBond[mol.getBondCount()];
        bu = new int[bonds.length];
        bv = new int[bonds.length];
        for (int j = 0; j < bonds.length; j++) {
            bonds[j] = mol.getBond(j);
            bu[j] = bonds[j].getBegin().getIndex();
            bv[j] = bonds[j].getEnd().getIndex();
        }
        g = GraphUtil.toAdjList(mol);
    }

    /** @return the canonical SMILES of mol (whose atom and bond order are changed) */
    static String write(IAtomContainer mol, SmilesGenerator gen) throws CDKException, IOException {
        CanonicalWriter w = new CanonicalWriter(mol, gen);
        if (mol.getAtomCount() > 1) {
            long[] sym = Canon.symmetry(mol, w.g);
            if (Arrays.stream(sym).distinct().count() < sym.length) { // CDK's tie-break may depend on the spelling
                w.search(w.refine(w.writtenInvariants(sym)));
                if (w.leaves <= MAX_LEAVES && w.best != null) {
                    return w.best;
                }
                // the search gave up: CDK's labels refer to the original atom order, which emit changed
                mol.setAtoms(w.atoms);
                mol.setBonds(w.bonds);
            }
        }
        return w.emit(Canon.label(mol, w.g));
    }

    /**
     * CDK's symmetry classes split further by what they ignore and the written SMILES shows: mass number, unpaired
     * electrons and the sum of bond orders (so {@code CC([13CH3])O}'s two methyls, or {@code C=C([CH2])C}'s two CH2,
     * are not taken for interchangeable twins).
     */
    private long[] writtenInvariants(long[] sym) {
        long[][] keys = new long[atoms.length][];
        for (int i = 0; i < atoms.length; i++) {
            IAtom a = atoms[i];
            int valence = 0;
            for (IBond b : mol.getConnectedBondsList(a)) {
                valence += b.getOrder() == null || b.getOrder() == IBond.Order.UNSET ? 0 : b.getOrder().numeric();
            }
            keys[i] = new long[] {sym[i], a.getMassNumber() == null ? 0 : a.getMassNumber(),
                mol.getConnectedSingleElectronsCount(a), valence};
        }
        int[] r = CipRanks.denseRanks(keys);
        long[] out = new long[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = r[i];
        }
        return out;
    }

    private void search(int[] cls) throws CDKException, IOException {
        if (leaves > MAX_LEAVES) {
            return;
        }
        int n = cls.length;
        int[] size = new int[n];
        for (int c : cls) {
            size[c]++;
        }
        int cell = -1;
        for (int c = 0; c < n; c++) {
            if (size[c] > 1) {
                cell = c;
                break;
            }
        }
        if (cell < 0) {
            leaves++;
            long[] labels = new long[n];
            for (int i = 0; i < n; i++) {
                labels[i] = cls[i];
            }
            String s = emit(labels);
            if (best == null || s.compareTo(best) < 0) {
                best = s;
            }
            return;
        }
        // equivalent terminal atoms on one common neighbour (CF3, C(CH3)3) are interchangeable: try one
        boolean sameParent = true;
        int parent = -2;
        for (int m = 0; m < n && sameParent; m++) {
            if (cls[m] == cell) {
                int p = g[m].length == 1 ? g[m][0] : -1;
                sameParent = p >= 0 && (parent == -2 || parent == p);
                parent = p;
            }
        }
        for (int m = 0; m < n; m++) {
            if (cls[m] == cell) {
                long[] inv = new long[n];
                for (int i = 0; i < n; i++) {
                    inv[i] = 2L * cls[i] + (i == m ? 0 : 1);
                }
                search(refine(inv));
                if (sameParent) {
                    break;
                }
            }
        }
    }

    /** Equitable refinement: dense classes ordered by (class, sorted neighbour classes). */
    private int[] refine(long[] inv) {
        int n = inv.length;
        int[] cls = dense(inv);
        int count = distinct(cls);
        while (true) {
            long[][] keys = new long[n][];
            for (int a = 0; a < n; a++) {
                long[] k = new long[g[a].length + 1];
                k[0] = cls[a];
                for (int i = 0; i < g[a].length; i++) {
                    k[i + 1] = cls[g[a][i]];
                }
                Arrays.sort(k, 1, k.length);
                keys[a] = k;
            }
            int[] next = CipRanks.denseRanks(keys);
            int r = n == 0 ? -1 : Arrays.stream(next).max().getAsInt();
            cls = next;
            if (r + 1 == count) {
                return cls;
            }
            count = r + 1;
        }
    }

    private static int[] dense(long[] inv) {
        long[] sorted = Arrays.stream(inv).sorted().distinct().toArray();
        int[] r = new int[inv.length];
        for (int i = 0; i < inv.length; i++) {
            r[i] = Arrays.binarySearch(sorted, inv[i]);
        }
        return r;
    }

    private static int distinct(int[] cls) {
        return (int) Arrays.stream(cls).distinct().count();
    }

    /** Puts atoms in label order and bonds in order of their ends, and writes the SMILES. */
    private String emit(long[] labels) throws CDKException, IOException {
        int n = atoms.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(labels[a], labels[b]));
        IAtom[] ordered = new IAtom[n];
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            ordered[i] = atoms[idx[i]];
            rank[idx[i]] = i;
        }
        long[] keys = new long[bonds.length];
        for (int j = 0; j < bonds.length; j++) {
            long u = rank[bu[j]];
            long v = rank[bv[j]];
            keys[j] = (Math.min(u, v) << 42) | (Math.max(u, v) << 21) | j;
        }
        Arrays.sort(keys);
        IBond[] orderedBonds = new IBond[bonds.length];
        for (int j = 0; j < bonds.length; j++) {
            orderedBonds[j] = bonds[(int) (keys[j] & ((1L << 21) - 1))];
        }
        mol.setAtoms(ordered);
        mol.setBonds(orderedBonds);
        String out = gen.create(mol);
        if (out.indexOf('/') >= 0 || out.indexOf('\\') >= 0) {
            // the same double-bond configuration can be written with several choices of / and \
            out = uk.ac.ebi.beam.Functions.normaliseDirectionalLabels(uk.ac.ebi.beam.Graph.fromSmiles(out)).toSmiles();
        }
        return out;
    }
}
