package gear.demo;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openscience.cdk.aromaticity.Aromaticity;
import org.openscience.cdk.aromaticity.ElectronDonation;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.graph.ConnectivityChecker;
import org.openscience.cdk.graph.Cycles;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IBond;
import org.openscience.cdk.tools.manipulator.AtomContainerManipulator;

/**
 * Splits a CDK molecule into {@link JobackGroup}s (see {@link Joback} for the rules and what is
 * rejected). Works on the Kekulé form the SMILES parser produces, with ring membership and
 * (Daylight) aromaticity perceived here.
 */
final class JobackAssigner {
    private static final Set<String> ELEMENTS = Set.of("C", "N", "O", "S", "F", "Cl", "Br", "I");
    private static final Aromaticity AROMATICITY =
            new Aromaticity(ElectronDonation.daylight(), Cycles.or(Cycles.all(), Cycles.all(6)));

    private JobackAssigner() {}

    /** Thrown internally to abandon a molecule with a reason. */
    private static final class Reject extends Exception {
        private static final long serialVersionUID = 1L;

        Reject(String reason) {
            super(reason, null, false, false);
        }
    }

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
        } catch (Reject r) {
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
        private boolean aromaticityPerceived;

        Run(IAtomContainer mol) {
            this.mol = mol;
            this.used = new boolean[mol.getAtomCount()];
        }

        Map<JobackGroup, Integer> groups() throws Reject, CDKException {
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
                    add(single(a), a);
                }
            }
            if (counts.isEmpty()) {
                throw new Reject("no Joback group in the molecule");
            }
            return counts;
        }

        private void checkBasics() throws Reject {
            if (mol.getAtomCount() == 0) {
                throw new Reject("empty molecule");
            }
            if (!ConnectivityChecker.isConnected(mol)) {
                throw new Reject("more than one component (salt or mixture) is not covered");
            }
            for (IAtom a : mol.atoms()) {
                if (!ELEMENTS.contains(a.getSymbol())) {
                    throw new Reject("element " + a.getSymbol() + " is not covered by the Joback groups");
                }
                if (a.getMassNumber() != null) {
                    throw new Reject("isotope label on " + a.getSymbol() + " is not covered");
                }
                if (mol.getConnectedSingleElectronsCount(a) > 0) {
                    throw new Reject("radical on " + a.getSymbol() + " is not covered");
                }
            }
            for (IBond b : mol.bonds()) {
                IBond.Order o = b.getOrder();
                if (o == null || o == IBond.Order.UNSET || o.numeric() > 3) {
                    throw new Reject("bond of order " + o + " is not covered");
                }
            }
        }

        private void checkAfterNitro() throws Reject {
            for (IAtom a : mol.atoms()) {
                if (used(a)) {
                    continue;
                }
                if (charge(a) != 0) {
                    throw new Reject("charged " + a.getSymbol() + " outside a nitro group is not covered");
                }
                int expected = switch (a.getSymbol()) {
                    case "C" -> 4;
                    case "N" -> 3;
                    case "O", "S" -> 2;
                    default -> 1;
                };
                if (h(a) + valence(a) != expected) {
                    throw new Reject(a.getSymbol() + " with valence " + (h(a) + valence(a)) + " is not covered");
                }
            }
            for (IBond b : mol.bonds()) {
                IAtom x = b.getBegin();
                IAtom y = b.getEnd();
                if (!used(x) && !used(y) && x.getAtomicNumber() != 6 && y.getAtomicNumber() != 6) {
                    throw new Reject("bond " + x.getSymbol() + "-" + y.getSymbol() + " between two heteroatoms is not covered");
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

        private void claimNitro(IAtom n) throws Reject {
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
                throw new Reject("N(O)O group that is not a nitro group on carbon is not covered");
            }
            used[indexOf(n)] = true;
            add(JobackGroup.NO2);
        }

        /** Nitrile and carbonyl-based groups, which span several atoms. */
        private void claimCarbonComposite(IAtom c) throws Reject {
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
                    throw new Reject("C#N that is not a nitrile on carbon is not covered");
                }
                claim(JobackGroup.CN, c, terminalN);
            } else if (terminalO != null && doubles == 1) {
                claimCarbonyl(c, terminalO, others);
            }
        }

        private void claimCarbonyl(IAtom c, IAtom o, List<IAtom> others) throws Reject {
            List<IAtom> carbons = new ArrayList<>();
            List<IAtom> oxygens = new ArrayList<>();
            for (IAtom nb : others) {
                if (nb.getAtomicNumber() == 6) {
                    carbons.add(nb);
                } else if (nb.getAtomicNumber() == 8) {
                    oxygens.add(nb);
                } else {
                    throw new Reject("carbonyl bonded to " + nb.getSymbol() + " (amide, acyl halide, thioester) is not covered");
                }
            }
            if (oxygens.isEmpty()) {
                if (h(c) == 1 && carbons.size() == 1) {
                    claim(JobackGroup.CHO, c, o);
                } else if (h(c) == 0 && carbons.size() == 2) {
                    claim(c.isInRing() ? JobackGroup.RING_CO : JobackGroup.CO, c, o);
                } else {
                    throw new Reject("formaldehyde is not covered");
                }
                return;
            }
            if (oxygens.size() > 1 || h(c) != 0 || carbons.size() != 1) {
                throw new Reject("carbonate, formic acid or formate is not covered");
            }
            IAtom o1 = oxygens.get(0);
            if (used(o1)) {
                throw new Reject("anhydride (two carbonyls on one oxygen) is not covered");
            }
            if (h(o1) == 1) {
                claim(JobackGroup.COOH, c, o, o1);
            } else if (mol.getBond(c, o1).isInRing()) {
                throw new Reject("lactone (ring ester) is not covered");
            } else {
                claim(JobackGroup.COO, c, o, o1);
            }
        }

        /** The group of a single atom not taken by a composite group. */
        private JobackGroup single(IAtom a) throws Reject, CDKException {
            int h = h(a);
            int d = mol.getConnectedBondsCount(a);
            int doubles = 0;
            int triples = 0;
            for (IBond b : mol.getConnectedBondsList(a)) {
                if (b.getOrder() == IBond.Order.DOUBLE) {
                    doubles++;
                } else if (b.getOrder() == IBond.Order.TRIPLE) {
                    triples++;
                }
            }
            boolean ring = a.isInRing();
            String where = a.getSymbol() + " (H" + h + ", " + d + " neighbours, " + doubles + " double, "
                    + triples + " triple" + (ring ? ", ring" : "") + ")";
            JobackGroup g = switch (a.getSymbol()) {
                case "C" -> carbon(h, doubles, triples, ring);
                case "O" -> oxygen(a, h, d, doubles, ring);
                case "N" -> nitrogen(h, d, doubles, ring);
                case "S" -> doubles == 0 && triples == 0 ? (h == 1 ? JobackGroup.SH : h == 0 ? (ring ? JobackGroup.RING_S : JobackGroup.S) : null) : null;
                case "F" -> d == 1 ? JobackGroup.F : null;
                case "Cl" -> d == 1 ? JobackGroup.CL : null;
                case "Br" -> d == 1 ? JobackGroup.BR : null;
                case "I" -> d == 1 ? JobackGroup.I : null;
                default -> null;
            };
            if (g == null) {
                throw new Reject("no Joback group for " + where);
            }
            return g;
        }

        private static JobackGroup carbon(int h, int doubles, int triples, boolean ring) {
            if (ring) {
                if (triples > 0 || doubles > 1) {
                    return null;
                }
                if (doubles == 1) {
                    return h == 1 ? JobackGroup.RING_EQ_CH : h == 0 ? JobackGroup.RING_EQ_C : null;
                }
                return h == 2 ? JobackGroup.RING_CH2 : h == 1 ? JobackGroup.RING_CH : h == 0 ? JobackGroup.RING_C : null;
            }
            if (triples == 1) {
                return h == 1 ? JobackGroup.TR_CH : h == 0 && doubles == 0 ? JobackGroup.TR_C : null;
            }
            if (triples > 1) {
                return null;
            }
            return switch (doubles) {
                case 0 -> h == 3 ? JobackGroup.CH3 : h == 2 ? JobackGroup.CH2 : h == 1 ? JobackGroup.CH : h == 0 ? JobackGroup.C : null;
                case 1 -> h == 2 ? JobackGroup.EQ_CH2 : h == 1 ? JobackGroup.EQ_CH : h == 0 ? JobackGroup.EQ_C : null;
                case 2 -> h == 0 ? JobackGroup.EQ_C_EQ : null;
                default -> null;
            };
        }

        private JobackGroup oxygen(IAtom o, int h, int d, int doubles, boolean ring) throws Reject, CDKException {
            if (doubles == 1) {
                return d == 1 ? JobackGroup.EQ_O : null;
            }
            if (h == 1 && d == 1) {
                IAtom c = mol.getConnectedAtomsList(o).get(0);
                if (c.isInRing() && !aromaticityPerceived) {
                    AROMATICITY.apply(mol); // only needed to tell phenols from alcohols
                    aromaticityPerceived = true;
                }
                if (c.isInRing() && c.isAromatic()) {
                    return JobackGroup.OH_PHENOL;
                }
                for (IBond b : mol.getConnectedBondsList(c)) {
                    if (b.getOrder() != IBond.Order.SINGLE) {
                        throw new Reject("enol OH is not covered");
                    }
                }
                return JobackGroup.OH_ALCOHOL;
            }
            if (h == 0 && d == 2) {
                return ring ? JobackGroup.RING_O : JobackGroup.O;
            }
            return null;
        }

        private static JobackGroup nitrogen(int h, int d, int doubles, boolean ring) throws Reject {
            if (doubles == 1) {
                if (d == 2 && h == 0) {
                    return ring ? JobackGroup.RING_EQ_N : JobackGroup.EQ_N;
                }
                return d == 1 && h == 1 ? JobackGroup.EQ_NH : null;
            }
            if (doubles > 0) {
                return null;
            }
            if (h == 2 && d == 1) {
                return JobackGroup.NH2;
            }
            if (h == 1 && d == 2) {
                return ring ? JobackGroup.RING_NH : JobackGroup.NH;
            }
            if (h == 0 && d == 3) {
                if (ring) {
                    throw new Reject("tertiary amine N in a ring is not covered (no ring >N- group)");
                }
                return JobackGroup.N;
            }
            return null;
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

        private int valence(IAtom a) {
            int v = 0;
            for (IBond b : mol.getConnectedBondsList(a)) {
                v += b.getOrder().numeric();
            }
            return v;
        }

        private static int h(IAtom a) {
            Integer h = a.getImplicitHydrogenCount();
            return h == null ? 0 : h;
        }

        private static int charge(IAtom a) {
            Integer q = a.getFormalCharge();
            return q == null ? 0 : q;
        }
    }
}
