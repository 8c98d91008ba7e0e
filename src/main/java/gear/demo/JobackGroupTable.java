package gear.demo;

import org.openscience.cdk.aromaticity.Aromaticity;
import org.openscience.cdk.aromaticity.ElectronDonation;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.graph.Cycles;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IBond;

/**
 * The group table of the single-atom Joback groups (Joback and Reid 1987; see {@link Joback}): the {@link JobackGroup}
 * of an atom that no composite group (nitro, nitrile, carbonyl: {@link JobackAssigner}) took, from its element, its
 * hydrogen count h, its neighbour count d, its double and triple bonds and whether it is in a ring; null entries are
 * not covered. Tells phenols from alcohols by (Daylight) aromaticity, perceived on the molecule on first need.
 */
final class JobackGroupTable {
    private static final Aromaticity AROMATICITY =
            new Aromaticity(ElectronDonation.daylight(), Cycles.or(Cycles.all(), Cycles.all(6)));

    private final IAtomContainer mol;
    private boolean aromaticityPerceived;

    /** @param mol the molecule (hydrogens suppressed, ring membership marked), whose aromaticity flags this may set */
    JobackGroupTable(IAtomContainer mol) {
        this.mol = mol;
    }

    /**
     * @param a an atom of the molecule that no composite group took
     * @return its group
     * @throws JobackReject when no group covers it (the message names the atom's environment)
     * @throws CDKException when aromaticity perception (for an OH on a ring atom) fails
     */
    JobackGroup single(IAtom a) throws JobackReject, CDKException {
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
            throw new JobackReject("no Joback group for " + where);
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

    private JobackGroup oxygen(IAtom o, int h, int d, int doubles, boolean ring) throws JobackReject, CDKException {
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
                    throw new JobackReject("enol OH is not covered");
                }
            }
            return JobackGroup.OH_ALCOHOL;
        }
        if (h == 0 && d == 2) {
            return ring ? JobackGroup.RING_O : JobackGroup.O;
        }
        return null;
    }

    private static JobackGroup nitrogen(int h, int d, int doubles, boolean ring) throws JobackReject {
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
                throw new JobackReject("tertiary amine N in a ring is not covered (no ring >N- group)");
            }
            return JobackGroup.N;
        }
        return null;
    }

    /** @return the implicit hydrogen count of {@code a} (0 when unset) */
    static int h(IAtom a) {
        Integer h = a.getImplicitHydrogenCount();
        return h == null ? 0 : h;
    }
}
