package gear.chem;

import java.io.IOException;
import org.openscience.cdk.config.Isotopes;
import org.openscience.cdk.interfaces.IIsotope;

/**
 * Element data used to reproduce RDKit's valence-based rules (conjugation, hybridization): number of
 * outer-shell electrons and default valence, following the conventions of RDKit's periodic table
 * (main-group elements by group; transition metals have no default valence), and atomic masses.
 */
final class Elements {
    private static final int MAX_Z = 118;
    private static final int[] OUTER = new int[MAX_Z + 1];
    private static final int[] DEFAULT_VALENCE = new int[MAX_Z + 1];
    private static final double[] MASS = new double[MAX_Z + 1];

    static {
        // Periods as (first Z, group of each element); groups 1..18.
        int[][] periods = {
            {1, 1, 18},
            {3, 1, 2, 13, 14, 15, 16, 17, 18},
            {11, 1, 2, 13, 14, 15, 16, 17, 18},
            {19, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18},
            {37, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18},
        };
        for (int[] p : periods) {
            for (int i = 1; i < p.length; i++) {
                setGroup(p[0] + i - 1, p[i]);
            }
        }
        // Period 6 and 7: s-block, f-block (counted as group 3), d-block, p-block.
        for (int base : new int[] {55, 87}) {
            setGroup(base, 1);
            setGroup(base + 1, 2);
            for (int z = base + 2; z <= base + 16; z++) {
                setGroup(z, 3);
            }
            for (int g = 4; g <= 18; g++) {
                setGroup(base + 13 + g, g);
            }
        }
        OUTER[2] = 2;
        // lanthanides: RDKit's table counts the electrons beyond the [Xe]6s2 core (Pr 3 ... Lu 15; La 3, Ce 4)
        for (int z = 57; z <= 71; z++) {
            OUTER[z] = z - 56;
        }
        OUTER[57] = 3;
        OUTER[58] = 4;
        Isotopes iso = isotopes();
        for (int z = 1; z <= MAX_Z; z++) {
            double m = 0;
            if (iso != null) {
                try {
                    m = iso.getNaturalMass(z);
                } catch (RuntimeException e) {
                    m = 0;
                }
            }
            MASS[z] = m;
        }
    }

    private Elements() {}

    private static void setGroup(int z, int group) {
        if (z < 1 || z > MAX_Z) {
            return;
        }
        if (group <= 2) {
            OUTER[z] = group;
            DEFAULT_VALENCE[z] = group;
        } else if (group <= 12) {
            // transition metals: RDKit counts valence electrons as the group number and has no default valence
            OUTER[z] = group == 12 ? 2 : group;
            DEFAULT_VALENCE[z] = -1;
        } else {
            OUTER[z] = group - 10;
            DEFAULT_VALENCE[z] = group == 18 ? 0 : Math.min(group - 10, 18 - group);
        }
    }

    private static Isotopes isotopes() {
        try {
            return Isotopes.getInstance();
        } catch (IOException e) {
            return null;
        }
    }

    /** @return number of outer-shell (valence) electrons, 0 for unknown elements */
    static int outerElectrons(int z) {
        return z >= 1 && z <= MAX_Z ? OUTER[z] : 0;
    }

    /** @return RDKit-style default valence (-1 = any, for transition metals; 0 for noble gases) */
    static int defaultValence(int z) {
        if (z == 1) {
            return 1;
        }
        return z >= 1 && z <= MAX_Z ? DEFAULT_VALENCE[z] : -1;
    }

    /** @return RDKit's list of allowed valences for elements that can be hypervalent (else one entry) */
    static int[] valenceList(int z) {
        return switch (z) {
            case 15, 33, 51 -> new int[] {3, 5, 7};
            case 16, 34, 52 -> new int[] {2, 4, 6};
            case 53 -> new int[] {1, 3, 5};
            case 50, 82 -> new int[] {2, 4};
            default -> new int[] {defaultValence(z)};
        };
    }

    /** @return average atomic mass of element z, or the mass of the given isotope (mass number &gt; 0) */
    static double mass(int z, int massNumber) {
        if (massNumber > 0) {
            Isotopes iso = isotopes();
            if (iso != null) {
                IIsotope i = iso.getIsotope(symbolOf(z), massNumber);
                if (i != null && i.getExactMass() != null) {
                    return i.getExactMass();
                }
            }
            return massNumber;
        }
        return z >= 1 && z <= MAX_Z ? MASS[z] : 0;
    }

    private static String symbolOf(int z) {
        return org.openscience.cdk.config.Elements.ofNumber(z).symbol();
    }
}
