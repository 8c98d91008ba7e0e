package gear.chem;

/**
 * RDKit's valence-based perception rules, re-implemented on a {@link Graph}: conjugated bonds
 * ({@code MolOps::setConjugation}: aromatic bonds, and each pair of bonds around an atom with 2–3
 * substituents where one bond is multiple and the neighbour across the other can donate or accept pi
 * electrons) and hybridization ({@code MolOps::setHybridization}: number of bonds plus lone pairs;
 * 4 becomes SP2 when the atom has a conjugated bond and at most 3 neighbours).
 */
final class RdkitRules {
    /** Hybridization slots in the chemprop feature vector. */
    static final int SP = 0;
    static final int SP2 = 1;
    static final int SP3 = 2;
    static final int SP3D = 3;
    static final int SP3D2 = 4;
    static final int OTHER = 5;

    private final int n;
    private final int[] z;
    private final int[] charge;
    private final int[] hs;
    private final int[] degree;
    private final int[] valence;
    private final Graph g;
    private final int[] order;
    private final boolean[] aromatic;

    /**
     * @param valence sum of Kekulé bond orders to kept atoms (without hydrogens)
     */
    RdkitRules(int n, int[] z, int[] charge, int[] hs, int[] degree, int[] valence, Graph g, int[] order,
            boolean[] aromatic) {
        this.n = n;
        this.z = z;
        this.charge = charge;
        this.hs = hs;
        this.degree = degree;
        this.valence = valence;
        this.g = g;
        this.order = order;
        this.aromatic = aromatic;
    }

    /** RDKit {@code countAtomElec}: electrons the atom can put into a pi system (-1 if none). */
    int countAtomElec(int a) {
        int dv = Elements.defaultValence(z[a]);
        if (dv <= 1) {
            return -1;
        }
        int td = degree[a] + hs[a];
        if (td > 3) {
            return -1;
        }
        int nlp = Elements.outerElectrons(z[a]) - dv;
        nlp = Math.max(nlp - charge[a], 0);
        return (dv - td) + nlp - radicals(a);
    }

    /** RDKit {@code isAtomConjugCand}. */
    boolean conjugationCandidate(int a) {
        int nouter = Elements.outerElectrons(z[a]);
        return (z[a] <= 10 || (nouter != 5 && nouter != 6) || (nouter == 6 && degree[a] < 2))
                && countAtomElec(a) > 0;
    }

    private boolean multiple(int k) {
        return aromatic[k] || order[k] >= 2;
    }

    /** @return per bond: conjugated */
    boolean[] conjugation() {
        int m = order.length;
        boolean[] conj = new boolean[m];
        for (int k = 0; k < m; k++) {
            conj[k] = aromatic[k];
        }
        boolean[] cand = new boolean[n];
        for (int a = 0; a < n; a++) {
            cand[a] = conjugationCandidate(a);
        }
        for (int a = 0; a < n; a++) {
            if (!cand[a]) {
                continue;
            }
            int sbo = degree[a] + hs[a];
            if (sbo < 2 || sbo > 3) {
                continue;
            }
            int d = g.degree(a);
            for (int i = 0; i < d; i++) {
                int b1 = g.neighbourBond(a, i);
                if (!multiple(b1)) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    if (j == i) {
                        continue;
                    }
                    int b2 = g.neighbourBond(a, j);
                    int a2 = g.neighbour(a, j);
                    if (degree[a2] + hs[a2] > 3) {
                        continue;
                    }
                    if (cand[a2]) {
                        conj[b1] = true;
                        conj[b2] = true;
                    }
                }
            }
        }
        return conj;
    }

    /** RDKit {@code numBondsPlusLonePairs}. */
    int bondsPlusLonePairs(int a) {
        int deg = degree[a] + hs[a];
        if (z[a] <= 1) {
            return deg;
        }
        int nouter = Elements.outerElectrons(z[a]);
        int totalValence = valence[a] + hs[a];
        int chg = charge[a];
        int free = nouter - (totalValence + chg);
        if (totalValence + nouter - chg < 8) {
            int rad = radicals(a);
            return deg + (free - rad) / 2 + rad;
        }
        return deg + free / 2;
    }

    /** RDKit {@code assignRadicals}: unpaired electrons of an atom whose valence is not satisfied. */
    int radicals(int a) {
        int za = z[a];
        if (za == 0) {
            return 0;
        }
        int nouter = Elements.outerElectrons(za);
        int tv = valence[a] + hs[a];
        int chg = charge[a];
        if (Elements.defaultValence(za) == -1) {
            int r = nouter - tv - chg;
            return r < 0 ? 0 : r % 2;
        }
        int base = za <= 2 ? 2 : 8;
        int rad = base - nouter - tv + chg;
        if (rad < 0) {
            rad = 0;
            for (int val : Elements.valenceList(za)) {
                if (val - tv + chg >= 0) {
                    rad = val - tv + chg;
                    break;
                }
            }
        }
        int rad2 = nouter - tv - chg;
        if (rad2 >= 0) {
            rad = Math.min(rad, rad2);
        }
        return rad;
    }

    /** @return per atom: hybridization slot (SP..SP3D2, OTHER for S/unspecified) */
    int[] hybridization(boolean[] conj) {
        int[] out = new int[n];
        for (int a = 0; a < n; a++) {
            if (z[a] == 0) {
                out[a] = OTHER;
                continue;
            }
            int norbs = z[a] < 89 ? bondsPlusLonePairs(a) : degree[a] + hs[a];
            out[a] = switch (norbs) {
                case 2 -> SP;
                case 3 -> SP2;
                case 4 -> (degree[a] + hs[a] > 3 || !hasConjugatedBond(a, conj)) ? SP3 : SP2;
                case 5 -> SP3D;
                case 6 -> SP3D2;
                default -> OTHER;
            };
        }
        return out;
    }

    private boolean hasConjugatedBond(int a, boolean[] conj) {
        for (int i = 0; i < g.degree(a); i++) {
            if (conj[g.neighbourBond(a, i)]) {
                return true;
            }
        }
        return false;
    }
}
