package gear.demo;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.graph.ConnectivityChecker;
import org.openscience.cdk.graph.Cycles;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IBond;
import org.openscience.cdk.tools.manipulator.AtomContainerManipulator;

/**
 * Splits a CDK molecule into {@link JobackGroup}s (see {@link Joback} for the rules and what is
 * rejected): checks what the groups cover, claims the composite groups (nitro, nitrile, carbonyl-based) and gives each
 * remaining atom its single-atom group ({@link JobackGroupTable}). Works on the Kekulé form the SMILES parser produces,
 * with ring membership and (Daylight) aromaticity perceived here.
 */
final class JobackAssigner {
    private static final Set<String> ELEMENTS = Set.of("C", "N", "O", "S", "F", "Cl", "Br", "I");

    private JobackAssigner() {}

    static Joback.Assignment assign(String smiles) {
        try {
            return assign(smiles, Chem.parse(smiles));
        } catch (InvalidSmilesException e) {
            return Joback.Assignment.rejected(smiles, e.getMessage());
        }
    }

    /** Assigns an already parsed molecule (which this call may modify: hydrogens, ring and aromaticity flags). */
    static Joback.Assignment assign(String smiles, IAtomContainer parsed) {
        IAtomContainer mol = AtomContainerManipulator.suppressHydrogens(parsed);
        try {
            return Joback.Assignment.accepted(smiles, new JobackAssigner.Run(mol).groups());
        } catch (JobackReject r) {
            return Joback.Assignment.rejected(smiles, r.getMessage());
        } catch (CDKException e) {
            return Joback.Assignment.rejected(smiles, "aromaticity perception failed: " + e.getMessage());
        }
    }

    /** The state of one assignment: which atoms are used and the group counts so far. */
    private static final class Run {
        private final IAtomContainer mol;
        private final boolean[] used;
        private final Map<JobackGroup, Integer> counts = new EnumMap<>(JobackGroup.class);
        private final JobackGroupTable table;

        Run(IAtomContainer mol) {
            this.mol = mol;
            this.used = new boolean[mol.getAtomCount()];
            this.table = new JobackGroupTable(mol);
        }

        Map<JobackGroup, Integer> groups() throws JobackReject, CDKException {
            checkBasics();
            Cycles.markRingAtomsAndBonds(mol);
            for (IAtom a : mol.atoms()) {
                if (isNitroN(a)) {
                    claimNitro(a);
                }
            }
            checkAfterNitro();
            for (IAtom a : mol.atoms()) {
                if (!used(a) && a.getAtomicNumber() == 6) {
                    claimCarbonComposite(a);
                }
            }
            for (IAtom a : mol.atoms()) {
                if (!used(a)) {
                    add(table.single(a), a);
                }
            }
            if (counts.isEmpty()) {
                throw new JobackReject("no Joback group in the molecule");
            }
            return counts;
        }

        private void checkBasics() throws JobackReject {
            if (mol.getAtomCount() == 0) {
                throw new JobackReject("empty molecule");
            }
            if (!ConnectivityChecker.isConnected(mol)) {
                throw new JobackReject("more than one component (salt or mixture) is not covered");
            }
            for (IAtom a : mol.atoms()) {
                if (!ELEMENTS.contains(a.getSymbol())) {
                    throw new JobackReject("element " + a.getSymbol() + " is not covered by the Joback groups");
                }
                if (a.getMassNumber() != null) {
                    throw new JobackReject("isotope label on " + a.getSymbol() + " is not covered");
                }
                if (mol.getConnectedSingleElectronsCount(a) > 0) {
                    throw new JobackReject("radical on " + a.getSymbol() + " is not covered");
                }
            }
            for (IBond b : mol.bonds()) {
                IBond.Order o = b.getOrder();
                if (o == null || o == IBond.Order.UNSET || o.numeric() > 3) {
                    throw new JobackReject("bond of order " + o + " is not covered");
                }
            }
        }

        private void checkAfterNitro() throws JobackReject {
            for (IAtom a : mol.atoms()) {
                if (used(a)) {
                    continue;
                }
                if (charge(a) != 0) {
                    throw new JobackReject("charged " + a.getSymbol() + " outside a nitro group is not covered");
                }
                int expected = switch (a.getSymbol()) {
                    case "C" -> 4;
                    case "N" -> 3;
                    case "O", "S" -> 2;
                    default -> 1;
                };
                if (h(a) + valence(a) != expected) {
                    throw new JobackReject(a.getSymbol() + " with valence " + (h(a) + valence(a)) + " is not covered");
                }
            }
            for (IBond b : mol.bonds()) {
                IAtom x = b.getBegin();
                IAtom y = b.getEnd();
                if (!used(x) && !used(y) && x.getAtomicNumber() != 6 && y.getAtomicNumber() != 6) {
                    throw new JobackReject("bond " + x.getSymbol() + "-" + y.getSymbol() + " between two heteroatoms is not covered");
                }
            }
        }

        /** N bonded to one carbon and two terminal oxygens, as N(+)(=O)O(-) or N(=O)=O. */
        private boolean isNitroN(IAtom n) {
            if (n.getAtomicNumber() != 7 || mol.getConnectedBondsCount(n) != 3 || h(n) != 0) {
                return false;
            }
            int oxygens = 0;
            for (IAtom nb : mol.getConnectedAtomsList(n)) {
                if (nb.getAtomicNumber() == 8 && mol.getConnectedBondsCount(nb) == 1 && h(nb) == 0) {
                    oxygens++;
                }
            }
            return oxygens == 2;
        }

        private void claimNitro(IAtom n) throws JobackReject {
            int chargeSum = charge(n);
            int bondSum = 0;
            IAtom carbon = null;
            for (IBond b : mol.getConnectedBondsList(n)) {
                IAtom nb = b.getOther(n);
                if (nb.getAtomicNumber() == 8 && mol.getConnectedBondsCount(nb) == 1) {
                    chargeSum += charge(nb);
                    bondSum += b.getOrder().numeric();
                    used[indexOf(nb)] = true;
                } else if (nb.getAtomicNumber() == 6 && b.getOrder() == IBond.Order.SINGLE) {
                    carbon = nb;
                }
            }
            boolean chargeSeparated = charge(n) == 1 && chargeSum == 0 && bondSum == 3;
            boolean pentavalent = charge(n) == 0 && chargeSum == 0 && bondSum == 4;
            if (carbon == null || !(chargeSeparated || pentavalent)) {
                throw new JobackReject("N(O)O group that is not a nitro group on carbon is not covered");
            }
            used[indexOf(n)] = true;
            add(JobackGroup.NO2);
        }

        /** Nitrile and carbonyl-based groups, which span several atoms. */
        private void claimCarbonComposite(IAtom c) throws JobackReject {
            IAtom terminalN = null;
            IAtom terminalO = null;
            int doubles = 0;
            for (IBond b : mol.getConnectedBondsList(c)) {
                IAtom nb = b.getOther(c);
                if (b.getOrder() == IBond.Order.DOUBLE) {
                    doubles++;
                    if (nb.getAtomicNumber() == 8 && mol.getConnectedBondsCount(nb) == 1) {
                        terminalO = nb;
                    }
                }
                if (b.getOrder() == IBond.Order.TRIPLE && nb.getAtomicNumber() == 7) {
                    terminalN = nb;
                }
            }
            List<IAtom> others = new ArrayList<>();
            for (IAtom nb : mol.getConnectedAtomsList(c)) {
                if (nb != terminalN && nb != terminalO) {
                    others.add(nb);
                }
            }
            if (terminalN != null) {
                if (h(c) != 0 || others.size() != 1 || others.get(0).getAtomicNumber() != 6) {
                    throw new JobackReject("C#N that is not a nitrile on carbon is not covered");
                }
                claim(JobackGroup.CN, c, terminalN);
            } else if (terminalO != null && doubles == 1) {
                claimCarbonyl(c, terminalO, others);
            }
        }

        private void claimCarbonyl(IAtom c, IAtom o, List<IAtom> others) throws JobackReject {
            List<IAtom> carbons = new ArrayList<>();
            List<IAtom> oxygens = new ArrayList<>();
            for (IAtom nb : others) {
                if (nb.getAtomicNumber() == 6) {
                    carbons.add(nb);
                } else if (nb.getAtomicNumber() == 8) {
                    oxygens.add(nb);
                } else {
                    throw new JobackReject("carbonyl bonded to " + nb.getSymbol() + " (amide, acyl halide, thioester) is not covered");
                }
            }
            if (oxygens.isEmpty()) {
                if (h(c) == 1 && carbons.size() == 1) {
                    claim(JobackGroup.CHO, c, o);
                } else if (h(c) == 0 && carbons.size() == 2) {
                    claim(c.isInRing() ? JobackGroup.RING_CO : JobackGroup.CO, c, o);
                } else {
                    throw new JobackReject("formaldehyde is not covered");
                }
                return;
            }
            if (oxygens.size() > 1 || h(c) != 0 || carbons.size() != 1) {
                throw new JobackReject("carbonate, formic acid or formate is not covered");
            }
            IAtom o1 = oxygens.get(0);
            if (used(o1)) {
                throw new JobackReject("anhydride (two carbonyls on one oxygen) is not covered");
            }
            if (h(o1) == 1) {
                claim(JobackGroup.COOH, c, o, o1);
            } else if (mol.getBond(c, o1).isInRing()) {
                throw new JobackReject("lactone (ring ester) is not covered");
            } else {
                claim(JobackGroup.COO, c, o, o1);
            }
        }

        private void claim(JobackGroup g, IAtom... atoms) {
            for (IAtom a : atoms) {
                used[indexOf(a)] = true;
            }
            add(g);
        }

        private void add(JobackGroup g, IAtom a) {
            used[indexOf(a)] = true;
            add(g);
        }

        private void add(JobackGroup g) {
            counts.merge(g, 1, Integer::sum);
        }

        private int indexOf(IAtom a) {
            int i = a.getIndex();
            return i >= 0 && i < used.length && mol.getAtom(i).equals(a) ? i : mol.indexOf(a);
        }

        private boolean used(IAtom a) {
            return used[indexOf(a)];
        }

        private static int h(IAtom a) {
            return JobackGroupTable.h(a);
        }

        private int valence(IAtom a) {
            int v = 0;
            for (IBond b : mol.getConnectedBondsList(a)) {
                v += b.getOrder().numeric();
            }
            return v;
        }

        private static int charge(IAtom a) {
            Integer q = a.getFormalCharge();
            return q == null ? 0 : q;
        }
    }
}
