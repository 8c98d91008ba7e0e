package gear.chem;

import java.util.ArrayList;
import java.util.List;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IBond;
import org.openscience.cdk.smiles.SmiFlavor;
import org.openscience.cdk.smiles.SmilesGenerator;

/**
 * Bemis–Murcko scaffolds (Bemis and Murcko, J. Med. Chem. 39:2887, 1996) with the semantics of RDKit's
 * {@code MurckoDecompose} / {@code MurckoScaffoldSmiles(includeChirality=False)}:
 * <ol>
 *   <li>keep ring atoms and the atoms of linkers between rings (equivalently: repeatedly strip
 *       non-ring atoms with at most one neighbour);</li>
 *   <li>also keep atoms joined to a kept atom by a double bond (ring C=O, exocyclic C=C), but nothing
 *       beyond them;</li>
 *   <li>the freed valences become hydrogens (an aromatic N that lost a substituent becomes [nH]).</li>
 * </ol>
 * The result is written as canonical SMILES without stereo or isotopes ({@link CanonicalWriter}, whose search
 * makes symmetric scaffolds such as 1,5-dicyclohexylpentane's one string however the molecule is written);
 * acyclic molecules give "".
 * The strings are not RDKit's, but two molecules share a scaffold string exactly when RDKit's
 * scaffolds are equal (verified on the ESOL, FreeSolv and Lipophilicity sets).
 */
public final class Scaffolds {
    private static final ThreadLocal<SmilesGenerator> GENERATOR =
            ThreadLocal.withInitial(() -> new SmilesGenerator(SmiFlavor.UseAromaticSymbols)); // order: CanonicalWriter

    private Scaffolds() {}

    /** @return the scaffold SMILES, or "" for an acyclic molecule */
    public static String murcko(String smiles) throws InvalidSmilesException {
        IAtomContainer mol = Chem.parse(smiles);
        Featurizer.perceive(mol, smiles);
        return murcko(mol, smiles);
    }

    /** Scaffold of a parsed molecule with perceived aromaticity (the molecule is modified). */
    static String murcko(IAtomContainer mol, String smiles) throws InvalidSmilesException {
        int n = mol.getAtomCount();
        int[] deg = new int[n];
        for (IBond b : mol.bonds()) {
            deg[b.getBegin().getIndex()]++;
            deg[b.getEnd().getIndex()]++;
        }
        boolean[] keep = new boolean[n];
        java.util.Arrays.fill(keep, true);
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        for (int i = 0; i < n; i++) {
            if (deg[i] <= 1) {
                queue[tail++] = i;
                keep[i] = false;
            }
        }
        while (head < tail) {
            IAtom a = mol.getAtom(queue[head++]);
            for (IBond b : a.bonds()) {
                int o = b.getOther(a).getIndex();
                if (keep[o] && --deg[o] <= 1) {
                    keep[o] = false;
                    queue[tail++] = o;
                }
            }
        }
        boolean any = false;
        for (int i = 0; i < n; i++) {
            any |= keep[i];
        }
        if (!any) {
            return "";
        }
        boolean[] core = keep.clone();
        for (IBond b : mol.bonds()) {
            int u = b.getBegin().getIndex();
            int v = b.getEnd().getIndex();
            if (b.getOrder() == IBond.Order.DOUBLE && !b.isAromatic() && core[u] != core[v]) {
                keep[core[u] ? v : u] = true;
            }
        }
        List<IAtom> remove = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            IAtom a = mol.getAtom(i);
            if (keep[i]) {
                int h = a.getImplicitHydrogenCount() == null ? 0 : a.getImplicitHydrogenCount();
                for (IBond b : a.bonds()) {
                    if (!keep[b.getOther(a).getIndex()]) {
                        h += b.getOrder() == null || b.getOrder() == IBond.Order.UNSET ? 1 : b.getOrder().numeric();
                    }
                }
                a.setImplicitHydrogenCount(h);
                a.setMassNumber(null);
            } else {
                remove.add(a);
            }
        }
        mol.setStereoElements(new ArrayList<>());
        for (IAtom a : remove) {
            mol.removeAtom(a);
        }
        try {
            return CanonicalWriter.write(mol, GENERATOR.get());
        } catch (CDKException | java.io.IOException | RuntimeException e) {
            throw new InvalidSmilesException("scaffold of '" + MoleculeGuard.abbreviate(smiles) + "': " + e.getMessage(), e);
        }
    }
}
