package gear.chem;

import org.openscience.cdk.aromaticity.Aromaticity;
import org.openscience.cdk.aromaticity.ElectronDonation;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.graph.Cycles;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IBond;
import org.openscience.cdk.tools.manipulator.AtomContainerManipulator;

/**
 * chemprop v1 featurization (first version: atomic number, degree, charge, H count, aromaticity,
 * mass, bond type and ring; hybridization, chirality, conjugation and stereo to be completed and
 * made RDKit-exact by the chemistry work).
 */
final class Featurizer {
    private static final Aromaticity AROMATICITY =
            new Aromaticity(ElectronDonation.daylight(), Cycles.or(Cycles.all(), Cycles.all(6)));

    private Featurizer() {}

    static MolGraph featurize(String smiles) throws InvalidSmilesException {
        IAtomContainer mol = Chem.parse(smiles);
        try {
            AtomContainerManipulator.suppressHydrogens(mol);
            AtomContainerManipulator.percieveAtomTypesAndConfigureAtoms(mol);
            Cycles.markRingAtomsAndBonds(mol);
            AROMATICITY.apply(mol);
        } catch (CDKException | RuntimeException e) {
            throw new InvalidSmilesException("cannot type '" + smiles + "': " + e.getMessage(), e);
        }
        int n = mol.getAtomCount();
        float[] af = new float[n * MolGraph.ATOM_FDIM];
        for (int i = 0; i < n; i++) {
            IAtom a = mol.getAtom(i);
            int o = i * MolGraph.ATOM_FDIM;
            int z = a.getAtomicNumber() == null ? 0 : a.getAtomicNumber();
            af[o + (z >= 1 && z <= 100 ? z - 1 : 100)] = 1;
            int h = a.getImplicitHydrogenCount() == null ? 0 : a.getImplicitHydrogenCount();
            int deg = a.getBondCount() + h;
            af[o + 101 + Math.min(deg, 6)] = 1;
            int q = a.getFormalCharge() == null ? 0 : a.getFormalCharge();
            int qi = switch (q) { case -1 -> 0; case -2 -> 1; case 1 -> 2; case 2 -> 3; case 0 -> 4; default -> 5; };
            af[o + 108 + qi] = 1;
            af[o + 114] = 1;
            af[o + 119 + Math.min(h, 5)] = 1;
            af[o + 125 + 5] = 1;
            af[o + 131] = a.isAromatic() ? 1 : 0;
            af[o + 132] = (float) (0.01 * massOf(z));
        }
        int m = mol.getBondCount();
        int[] bb = new int[m];
        int[] be = new int[m];
        float[] bf = new float[m * MolGraph.BOND_FDIM];
        java.util.List<int[]> pairs = new java.util.ArrayList<>();
        for (IBond b : mol.bonds()) {
            int x = b.getBegin().getIndex();
            int y = b.getEnd().getIndex();
            pairs.add(new int[] {Math.min(x, y), Math.max(x, y), b.getIndex()});
        }
        pairs.sort((p, q2) -> p[0] != q2[0] ? Integer.compare(p[0], q2[0]) : Integer.compare(p[1], q2[1]));
        for (int k = 0; k < m; k++) {
            int[] p = pairs.get(k);
            bb[k] = p[0];
            be[k] = p[1];
            IBond b = mol.getBond(p[2]);
            int o = k * MolGraph.BOND_FDIM;
            if (b.isAromatic()) {
                bf[o + 4] = 1;
            } else {
                switch (b.getOrder()) {
                    case SINGLE -> bf[o + 1] = 1;
                    case DOUBLE -> bf[o + 2] = 1;
                    case TRIPLE -> bf[o + 3] = 1;
                    default -> { }
                }
            }
            bf[o + 6] = b.isInRing() ? 1 : 0;
            bf[o + 7] = 1;
        }
        return new MolGraph(smiles, n, af, bb, be, bf);
    }

    private static double massOf(int z) {
        try {
            return org.openscience.cdk.config.Isotopes.getInstance().getNaturalMass(z);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
