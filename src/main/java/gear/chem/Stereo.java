package gear.chem;

import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IBond;
import org.openscience.cdk.interfaces.IDoubleBondStereochemistry;
import org.openscience.cdk.interfaces.IStereoElement;
import org.openscience.cdk.interfaces.ITetrahedralChirality;

/**
 * Stereo of a parsed molecule as RDKit (legacy perception, 2022.09) labels it: chiral tags relative to
 * RDKit's bond order (see {@link SmilesBondOrder}), tags dropped from atoms that are not stereocentres by
 * CIP-like ranks ({@link CipRanks}), and E/Z labels of double bonds from the ranks of the substituents.
 */
final class Stereo {
    private final String smiles;
    private final IAtomContainer mol;
    private final int nAll;
    private final int[] newIdx;
    private final boolean[] drop;
    private final Graph g;
    private final int[] az;
    private final int[] aiso;
    private final int[] ah;
    private final int[] bOrder;
    private final boolean[] bArom;
    private final boolean[] ring;
    private int[] ranks;
    private boolean[] centres;
    private int[] closures;
    private boolean closuresDone;

    Stereo(String smiles, IAtomContainer mol, int nAll, int[] newIdx, boolean[] drop, Graph g, int[] az,
            int[] aiso, int[] ah, int[] bOrder, boolean[] bArom, boolean[] ring) {
        this.smiles = smiles;
        this.mol = mol;
        this.nAll = nAll;
        this.newIdx = newIdx;
        this.drop = drop;
        this.g = g;
        this.az = az;
        this.aiso = aiso;
        this.ah = ah;
        this.bOrder = bOrder;
        this.bArom = bArom;
        this.ring = ring;
    }

    private int[] ranks() {
        if (ranks == null) {
            ranks = CipRanks.compute(g, az, aiso, ah, bOrder, bArom);
        }
        return ranks;
    }

    /** RDKit bond index key of the bond between original atoms a and b. */
    private int rdkitBondKey(int a, int b) {
        if (!closuresDone) {
            closures = SmilesBondOrder.ringClosures(smiles, nAll);
            closuresDone = true;
        }
        return Featurizer.rdkitBondKey(closures, nAll, a, b);
    }

    /** @return per kept atom: 0 unspecified, 1 CW, 2 CCW (RDKit's tags) */
    int[] chiralTags() {
        int[] tags = new int[g.n];
        if (!mol.stereoElements().iterator().hasNext()) {
            return tags;
        }
        for (IStereoElement<?, ?> se : mol.stereoElements()) {
            if (!(se instanceof ITetrahedralChirality tc)) {
                continue;
            }
            int f = tc.getChiralAtom().getIndex();
            if (drop[f]) {
                continue;
            }
            IAtom[] lig = tc.getLigands();
            int[] key = new int[lig.length];
            int nh = 0;
            for (int i = 0; i < lig.length; i++) {
                int li = lig[i].getIndex();
                if (li == f || drop[li]) {
                    key[i] = Integer.MAX_VALUE;
                    nh++;
                } else {
                    key[i] = rdkitBondKey(f, li);
                }
            }
            int inv = 0;
            for (int i = 0; i < key.length; i++) {
                for (int j = i + 1; j < key.length; j++) {
                    if (key[i] > key[j]) {
                        inv++;
                    }
                }
            }
            boolean cw = tc.getStereo() == ITetrahedralChirality.Stereo.CLOCKWISE;
            if ((inv & 1) == 1) {
                cw = !cw;
            }
            if (nh <= 1 && isStereoCenter(newIdx[f], false)) {
                tags[newIdx[f]] = cw ? 1 : 2;
            }
        }
        return tags;
    }

    /**
     * RDKit (legacy perception) drops tags from atoms whose neighbours are not all distinct.
     *
     * @param stereoTies accept a tie between two neighbours that are both stereocentres with a configuration (a
     *     pseudo-asymmetric centre such as C3 of ribitol, whose tag RDKit keeps and the featurizer drops; also when
     *     the two have the same configuration, where the tag means nothing: such a molecule keeps two strings)
     */
    private boolean isStereoCenter(int a, boolean stereoTies) {
        int deg = g.degree(a);
        int total = deg + ah[a];
        if (ah[a] > 1 || total < 3 || total > 4) {
            return false;
        }
        if (total == 3) {
            int zz = az[a];
            boolean lonePair = zz == 15 || zz == 16 || zz == 33 || zz == 34;
            if (zz == 7) {
                lonePair = g.inSmallRing(a, 3);
            }
            if (!lonePair) {
                return false;
            }
        }
        int[] r = ranks();
        int[] nb = new int[deg];
        int[] nbBond = new int[deg];
        g.neighbours(a, nb, nbBond);
        for (int i = 0; i < deg; i++) {
            for (int j = i + 1; j < deg; j++) {
                if (r[nb[i]] == r[nb[j]] && !(stereoTies && centres()[nb[i]] && centres()[nb[j]]
                        && isStereoCenter(nb[i], false) && isStereoCenter(nb[j], false))) {
                    // ties between two ring neighbours can still be ring stereo (e.g. 1,4-disubstituted
                    // rings), if another stereo centre lies in the same ring system
                    if (!(ring[nbBond[i]] && ring[nbBond[j]]) || !otherCentreInRingSystem(a)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** @return per kept atom, whether it carries a tetrahedral stereo element */
    private boolean[] centres() {
        if (centres == null) {
            centres = new boolean[g.n];
            for (IStereoElement<?, ?> se : mol.stereoElements()) {
                if (se instanceof ITetrahedralChirality tc && !drop[tc.getChiralAtom().getIndex()]) {
                    centres[newIdx[tc.getChiralAtom().getIndex()]] = true;
                }
            }
        }
        return centres;
    }

    /** @return whether another atom with a tetrahedral stereo element is ring-bonded to a's ring system */
    private boolean otherCentreInRingSystem(int a) {
        boolean[] centre = centres();
        boolean[] seen = new boolean[g.n];
        int[] queue = new int[g.n];
        int head = 0;
        int tail = 0;
        queue[tail++] = a;
        seen[a] = true;
        while (head < tail) {
            int u = queue[head++];
            if (u != a && centre[u]) {
                return true;
            }
            for (int i = 0; i < g.degree(u); i++) {
                int v = g.neighbour(u, i);
                if (!seen[v] && ring[g.neighbourBond(u, i)]) {
                    seen[v] = true;
                    queue[tail++] = v;
                }
            }
        }
        return false;
    }

    /** @return per bond (chemprop order): stereo slot 0 NONE, 2 Z, 3 E */
    int[] bondStereo(int[] bSrc) {
        int m = bSrc.length;
        int[] out = new int[m];
        boolean any = false;
        for (IStereoElement<?, ?> se : mol.stereoElements()) {
            if (se instanceof IDoubleBondStereochemistry) {
                any = true;
                break;
            }
        }
        if (!any) {
            return out;
        }
        int[] srcToK = new int[mol.getBondCount()];
        java.util.Arrays.fill(srcToK, -1);
        for (int k = 0; k < m; k++) {
            srcToK[bSrc[k]] = k;
        }
        int[] r = ranks();
        for (IStereoElement<?, ?> se : mol.stereoElements()) {
            if (!(se instanceof IDoubleBondStereochemistry db)) {
                continue;
            }
            IBond sb = db.getStereoBond();
            int k = srcToK[sb.getIndex()];
            if (k < 0 || !labelled(k)) {
                continue;
            }
            IBond[] adj = db.getBonds();
            int u = sb.getBegin().getIndex();
            int v = sb.getEnd().getIndex();
            int p = adj[0].getOther(adj[0].contains(sb.getBegin()) ? sb.getBegin() : sb.getEnd()).getIndex();
            int q = adj[1].getOther(adj[1].contains(sb.getEnd()) ? sb.getEnd() : sb.getBegin()).getIndex();
            if (!adj[0].contains(sb.getBegin())) {
                int t = p;
                p = q;
                q = t;
            }
            int topU = top(newIdx[u], newIdx[v], r);
            int topV = top(newIdx[v], newIdx[u], r);
            if (topU == -2 || topV == -2) {
                continue;
            }
            boolean together = db.getStereo() == IDoubleBondStereochemistry.Conformation.TOGETHER;
            int pu = drop[p] ? -1 : newIdx[p];
            int qv = drop[q] ? -1 : newIdx[q];
            if (pu != topU) {
                together = !together;
            }
            if (qv != topV) {
                together = !together;
            }
            out[k] = together ? 2 : 3;
        }
        return out;
    }

    /** @return whether a double bond (chemprop order) can carry an E/Z label: not aromatic, not in a ring of &lt; 8 */
    private boolean labelled(int k) {
        return !bArom[k] && bOrder[k] == 2 && !(ring[k] && g.smallestRingThrough(k) < 8);
    }

    /**
     * @return whether this stereo element of the parsed molecule means something by RDKit's legacy perception as the
     *     featurizer implements it: a tetrahedral centre that gets a chiral tag ({@link #chiralTags}) or is
     *     pseudo-asymmetric (two tied neighbours that carry configurations themselves), a double bond that gets an E/Z
     *     label ({@link #bondStereo}); other element types (allenes, atropisomers, square planar) never
     */
    boolean meaningful(IStereoElement<?, ?> se) {
        if (se instanceof ITetrahedralChirality tc) {
            int f = tc.getChiralAtom().getIndex();
            if (drop[f]) {
                return false;
            }
            int nh = 0;
            for (IAtom l : tc.getLigands()) {
                nh += l.getIndex() == f || drop[l.getIndex()] ? 1 : 0;
            }
            return nh <= 1 && isStereoCenter(newIdx[f], true);
        }
        if (se instanceof IDoubleBondStereochemistry db) {
            IBond sb = db.getStereoBond();
            int u = sb.getBegin().getIndex();
            int v = sb.getEnd().getIndex();
            if (drop[u] || drop[v]) {
                return false;
            }
            int k = g.bondIndex(newIdx[u], newIdx[v]);
            return k >= 0 && labelled(k) && top(newIdx[u], newIdx[v], ranks()) != -2
                    && top(newIdx[v], newIdx[u], ranks()) != -2;
        }
        return false;
    }

    /** @return the highest-ranked substituent of a (other than b), -1 for hydrogen, -2 if tied/absent */
    private int top(int a, int b, int[] r) {
        int deg = g.degree(a);
        int[] nb = new int[deg];
        int[] nbBond = new int[deg];
        g.neighbours(a, nb, nbBond);
        int best = -1;
        int count = 0;
        boolean tie = false;
        for (int i = 0; i < deg; i++) {
            if (nb[i] == b) {
                continue;
            }
            count++;
            if (best < 0 || r[nb[i]] > r[best]) {
                best = nb[i];
                tie = false;
            } else if (r[nb[i]] == r[best]) {
                tie = true;
            }
        }
        int total = count + ah[a];
        if (total < 1 || total > 2 || tie || ah[a] > 1) {
            return -2;
        }
        return best;
    }
}
