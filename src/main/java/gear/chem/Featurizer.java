package gear.chem;

import org.openscience.cdk.aromaticity.Aromaticity;
import org.openscience.cdk.aromaticity.ElectronDonation;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.graph.Cycles;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IBond;

/**
 * chemprop v1 featurization (Yang et al., JCIM 59:3370, 2019) of a SMILES string into a {@link MolGraph}.
 *
 * <p>CDK parses the SMILES (Kekulé bond orders, implicit hydrogen counts, stereo elements) and perceives
 * aromaticity (Daylight model); everything RDKit derives by its own rules is recomputed here on a
 * compact graph: removal of explicit hydrogens as {@code RemoveHs} does, conjugation
 * ({@code MolOps::setConjugation}), hybridization ({@code MolOps::setHybridization}), chiral tags
 * relative to RDKit's bond order, and E/Z labels from CIP-like ranks. The differences that remain are
 * listed in docs/CHEMISTRY.md.
 */
final class Featurizer {
    private static final Aromaticity AROMATICITY =
            new Aromaticity(ElectronDonation.daylight(), Cycles.or(Cycles.all(), Cycles.all(6)));

    /** Offsets of the feature blocks in the 133-wide atom vector. */
    static final int A_DEGREE = 101;
    static final int A_CHARGE = 108;
    static final int A_CHIRAL = 114;
    static final int A_HS = 119;
    static final int A_HYBRID = 125;
    static final int A_AROMATIC = 131;
    static final int A_MASS = 132;
    /** Offsets of the feature blocks in the 14-wide bond vector. */
    static final int B_CONJ = 5;
    static final int B_RING = 6;
    static final int B_STEREO = 7;

    private Featurizer() {}

    /** Parses, perceives aromaticity and featurizes. */
    static MolGraph featurize(String smiles) throws InvalidSmilesException {
        IAtomContainer mol = Chem.parse(smiles);
        perceive(mol, smiles);
        return build(smiles, mol);
    }

    /** Applies the Daylight aromaticity model in place. */
    static void perceive(IAtomContainer mol, String smiles) throws InvalidSmilesException {
        if (!mayBeAromatic(smiles)) {
            // no ring, or no pi bond and no aromatic atom symbol: nothing can be aromatic
            for (IAtom a : mol.atoms()) {
                a.setIsAromatic(false);
            }
            for (IBond b : mol.bonds()) {
                b.setIsAromatic(false);
            }
            return;
        }
        try {
            AROMATICITY.apply(mol);
        } catch (CDKException | RuntimeException e) {
            throw new InvalidSmilesException("cannot perceive aromaticity of '" + MoleculeGuard.abbreviate(smiles) + "': " + e.getMessage(), e);
        }
    }

    /**
     * Cheap test on the SMILES text: a molecule can only have aromatic rings if it has a ring-closure digit
     * and either a double bond or an aromatic (lower-case) atom symbol.
     */
    static boolean mayBeAromatic(String smiles) {
        boolean bracket = false;
        boolean ring = false;
        boolean pi = false;
        for (int i = 0, n = smiles.length(); i < n; i++) {
            char c = smiles.charAt(i);
            if (c == '[') {
                bracket = true;
                int j = i + 1;
                while (j < n && Character.isDigit(smiles.charAt(j))) {
                    j++;
                }
                if (j < n && Character.isLowerCase(smiles.charAt(j))) {
                    pi = true;
                }
            } else if (c == ']') {
                bracket = false;
            } else if (!bracket) {
                if (c == '%' || (c >= '0' && c <= '9')) {
                    ring = true;
                } else if (c == '=' || c == ':' || c == 'b' || c == 'c' || c == 'n' || c == 'o' || c == 'p' || c == 's') {
                    pi = true;
                }
            }
            if (ring && pi) {
                return true;
            }
        }
        return false;
    }

    /**
     * The compact graph the featurizer works on: the kept atoms (explicit hydrogens removed as RDKit's
     * {@code RemoveHs} does) with their element, charge, isotope, hydrogen count and aromaticity after the
     * cleanUp charge rules; the bonds in chemprop order with order, aromaticity, source bond index and ring
     * membership; and the stereo perception over them.
     */
    record Prepared(int n, int m, int[] az, int[] ach, int[] aiso, int[] ah, boolean[] aar, int[] bb, int[] be,
            int[] bOrder, boolean[] bArom, int[] bSrc, Graph g, boolean[] ring, Stereo stereo) {}

    /** Featurizes a parsed molecule whose aromaticity has been perceived. */
    static MolGraph build(String smiles, IAtomContainer mol) {
        Prepared p = prepare(smiles, mol);
        int n = p.n();
        int m = p.m();
        int[] az = p.az();
        int[] ach = p.ach();
        int[] aiso = p.aiso();
        int[] ah = p.ah();
        boolean[] aar = p.aar();
        int[] bb = p.bb();
        int[] be = p.be();
        int[] bOrder = p.bOrder();
        boolean[] bArom = p.bArom();
        Graph g = p.g();
        boolean[] ring = p.ring();
        int[] deg = new int[n];
        int[] valence = new int[n];
        for (int k = 0; k < m; k++) {
            deg[bb[k]]++;
            deg[be[k]]++;
            valence[bb[k]] += bOrder[k];
            valence[be[k]] += bOrder[k];
        }
        RdkitRules rules = new RdkitRules(n, az, ach, ah, deg, valence, g, bOrder, bArom);
        boolean[] conj = rules.conjugation();
        int[] hyb = rules.hybridization(conj);
        int[] chiral = p.stereo().chiralTags();
        int[] bondStereo = p.stereo().bondStereo(p.bSrc());
        float[] af = new float[n * MolGraph.ATOM_FDIM];
        for (int i = 0; i < n; i++) {
            int o = i * MolGraph.ATOM_FDIM;
            af[o + (az[i] >= 1 && az[i] <= 100 ? az[i] - 1 : 100)] = 1;
            af[o + A_DEGREE + Math.min(deg[i] + ah[i], 6)] = 1;
            int qi = switch (ach[i]) {
                case -1 -> 0;
                case -2 -> 1;
                case 1 -> 2;
                case 2 -> 3;
                case 0 -> 4;
                default -> 5;
            };
            af[o + A_CHARGE + qi] = 1;
            af[o + A_CHIRAL + chiral[i]] = 1;
            af[o + A_HS + Math.min(ah[i], 5)] = 1;
            af[o + A_HYBRID + hyb[i]] = 1;
            af[o + A_AROMATIC] = aar[i] ? 1 : 0;
            af[o + A_MASS] = (float) (0.01 * Elements.mass(az[i], aiso[i]));
        }
        float[] bf = new float[m * MolGraph.BOND_FDIM];
        for (int k = 0; k < m; k++) {
            int o = k * MolGraph.BOND_FDIM;
            if (bArom[k]) {
                bf[o + 4] = 1;
            } else {
                bf[o + Math.min(bOrder[k], 3)] = 1;
            }
            bf[o + B_CONJ] = conj[k] ? 1 : 0;
            bf[o + B_RING] = ring[k] ? 1 : 0;
            bf[o + B_STEREO + bondStereo[k]] = 1;
        }
        return new MolGraph(smiles, n, af, bb, be, bf);
    }

    /**
     * The stereo elements of a parsed molecule whose aromaticity has been perceived that mean something
     * ({@link Stereo#meaningful}): those the featurizer encodes as a chiral tag or an E/Z label, and pseudo-asymmetric
     * centres. The others (a tag on an atom that is no stereocentre by RDKit's legacy rules, such as an amine
     * nitrogen or a carbon with two equivalent substituents; a double bond whose substituents on one end tie or that
     * lies in a ring of fewer than 8 atoms; element types the featurizer has no feature for) change neither the
     * D-MPNN's input nor RDKit's canonical SMILES.
     */
    @SuppressWarnings("rawtypes") // IAtomContainer#setStereoElements takes the raw type
    static java.util.List<org.openscience.cdk.interfaces.IStereoElement> meaningfulStereo(String smiles,
            IAtomContainer mol) {
        java.util.List<org.openscience.cdk.interfaces.IStereoElement> out = new java.util.ArrayList<>();
        if (!mol.stereoElements().iterator().hasNext()) {
            return out;
        }
        Prepared p = prepare(smiles, mol);
        for (org.openscience.cdk.interfaces.IStereoElement<?, ?> se : mol.stereoElements()) {
            if (p.stereo().meaningful(se)) {
                out.add(se);
            }
        }
        return out;
    }

    /** @return the compact graph of a parsed molecule whose aromaticity has been perceived ({@link Prepared}) */
    static Prepared prepare(String smiles, IAtomContainer mol) {
        final int nAll = mol.getAtomCount();
        final int mAll = mol.getBondCount();
        int[] z = new int[nAll];
        int[] chg = new int[nAll];
        int[] iso = new int[nAll];
        int[] hs = new int[nAll];
        int[] degAll = new int[nAll];
        boolean[] arom = new boolean[nAll];
        for (int i = 0; i < nAll; i++) {
            IAtom a = mol.getAtom(i);
            Integer zi = a.getAtomicNumber();
            z[i] = zi == null ? 0 : zi;
            Integer q = a.getFormalCharge();
            chg[i] = q == null ? 0 : q;
            Integer mn = a.getMassNumber();
            iso[i] = mn == null ? 0 : mn;
            Integer h = a.getImplicitHydrogenCount();
            hs[i] = h == null ? 0 : h;
            arom[i] = a.isAromatic();
        }
        int[] bu = new int[mAll];
        int[] bv = new int[mAll];
        int[] order = new int[mAll];
        boolean[] barom = new boolean[mAll];
        for (int j = 0; j < mAll; j++) {
            IBond b = mol.getBond(j);
            bu[j] = b.getBegin().getIndex();
            bv[j] = b.getEnd().getIndex();
            IBond.Order o = b.getOrder();
            order[j] = o == null ? 1 : switch (o) {
                case DOUBLE -> 2;
                case TRIPLE -> 3;
                case QUADRUPLE -> 4;
                default -> 1;
            };
            barom[j] = b.isAromatic();
            degAll[bu[j]]++;
            degAll[bv[j]]++;
        }
        cleanUp(smiles, nAll, z, chg, hs, bu, bv, order, barom);
        // Remove explicit hydrogens as RDKit's RemoveHs does (keep isotopes, charged, bare, H2, bridging H).
        boolean[] drop = new boolean[nAll];
        for (int j = 0; j < mAll; j++) {
            for (int side = 0; side < 2; side++) {
                int h = side == 0 ? bu[j] : bv[j];
                int other = side == 0 ? bv[j] : bu[j];
                if (z[h] == 1 && iso[h] == 0 && chg[h] == 0 && degAll[h] == 1 && hs[h] == 0
                        && z[other] > 1 && order[j] == 1 && !drop[other]) {
                    drop[h] = true;
                }
            }
        }
        int[] newIdx = new int[nAll];
        int n = 0;
        for (int i = 0; i < nAll; i++) {
            newIdx[i] = drop[i] ? -1 : n++;
        }
        int[] oldIdx = new int[n];
        for (int i = 0; i < nAll; i++) {
            if (!drop[i]) {
                oldIdx[newIdx[i]] = i;
            }
        }
        // Compact graph over kept atoms.
        int[] az = new int[n];
        int[] ach = new int[n];
        int[] aiso = new int[n];
        int[] ah = new int[n];
        boolean[] aar = new boolean[n];
        for (int i = 0; i < n; i++) {
            int o = oldIdx[i];
            az[i] = z[o];
            ach[i] = chg[o];
            aiso[i] = iso[o];
            ah[i] = hs[o];
            aar[i] = arom[o];
        }
        int m = 0;
        for (int j = 0; j < mAll; j++) {
            if (drop[bu[j]]) {
                ah[newIdx[bv[j]]]++;
            } else if (drop[bv[j]]) {
                ah[newIdx[bu[j]]]++;
            } else {
                m++;
            }
        }
        // Bonds in chemprop order: sorted by (lower atom, higher atom).
        long[] keys = new long[m];
        int k = 0;
        for (int j = 0; j < mAll; j++) {
            if (!drop[bu[j]] && !drop[bv[j]]) {
                int a = newIdx[bu[j]];
                int b = newIdx[bv[j]];
                long lo = Math.min(a, b);
                long hi = Math.max(a, b);
                keys[k++] = (lo << 42) | (hi << 21) | j;
            }
        }
        java.util.Arrays.sort(keys);
        int[] bb = new int[m];
        int[] be = new int[m];
        int[] bOrder = new int[m];
        boolean[] bArom = new boolean[m];
        int[] bSrc = new int[m];
        for (k = 0; k < m; k++) {
            int j = (int) (keys[k] & ((1L << 21) - 1));
            bb[k] = (int) (keys[k] >>> 42);
            be[k] = (int) ((keys[k] >>> 21) & ((1L << 21) - 1));
            bOrder[k] = order[j];
            bArom[k] = barom[j];
            bSrc[k] = j;
        }
        Graph g = new Graph(n, bb, be);
        boolean[] ring = g.ringBonds();
        Stereo stereo = new Stereo(smiles, mol, nAll, newIdx, drop, g, az, aiso, ah, bOrder, bArom, ring);
        return new Prepared(n, m, az, ach, aiso, ah, aar, bb, be, bOrder, bArom, bSrc, g, ring, stereo);
    }

    /**
     * RDKit's {@code MolOps::cleanUp} normalizations that change charges: neutral pentavalent nitrogen
     * with a double bond to oxygen (nitro, N-oxides written N(=O)=O) becomes {@code [N+][O-]} (the first
     * such oxygen in RDKit's bond order), azides written {@code N=N#N} become {@code N=[N+]=[N-]}, and neutral halogens in valence 5 or 7 bonded to =O become
     * charge-separated ({@code Cl(=O)(=O)(=O)[O-]} to {@code [Cl+3]([O-])([O-])([O-])[O-]}).
     */
    private static void cleanUp(String smiles, int nAll, int[] z, int[] chg, int[] hs, int[] bu, int[] bv,
            int[] order, boolean[] barom) {
        int mAll = bu.length;
        int[] closures = null;
        boolean scanned = false;
        for (int a = 0; a < nAll; a++) {
            boolean nitrogen = z[a] == 7;
            boolean halogen = z[a] == 17 || z[a] == 35 || z[a] == 53;
            if (!(nitrogen || halogen) || chg[a] != 0) {
                continue;
            }
            int tv = hs[a];
            for (int j = 0; j < mAll; j++) {
                if (bu[j] == a || bv[j] == a) {
                    tv += order[j];
                }
            }
            if (nitrogen && tv == 5) {
                if (!scanned) {
                    closures = SmilesBondOrder.ringClosures(smiles, nAll);
                    scanned = true;
                }
                int best = -1;
                int bestKey = Integer.MAX_VALUE;
                for (int j = 0; j < mAll; j++) {
                    int o = bu[j] == a ? bv[j] : bv[j] == a ? bu[j] : -1;
                    if (o >= 0 && z[o] == 8 && chg[o] == 0 && order[j] == 2 && !barom[j]) {
                        int key = rdkitBondKey(closures, nAll, a, o);
                        if (key < bestKey) {
                            bestKey = key;
                            best = j;
                        }
                    }
                }
                if (best >= 0) {
                    int o = bu[best] == a ? bv[best] : bu[best];
                    order[best] = 1;
                    chg[o] = -1;
                    chg[a] = 1;
                } else {
                    // azide written N=N#N: N=[N+]=[N-]
                    for (int j = 0; j < mAll; j++) {
                        int o = bu[j] == a ? bv[j] : bv[j] == a ? bu[j] : -1;
                        if (o >= 0 && z[o] == 7 && chg[o] == 0 && order[j] == 3) {
                            order[j] = 2;
                            chg[o] = -1;
                            chg[a] = 1;
                            break;
                        }
                    }
                }
            } else if (halogen && (tv == 5 || tv == 7)) {
                for (int j = 0; j < mAll; j++) {
                    int o = bu[j] == a ? bv[j] : bv[j] == a ? bu[j] : -1;
                    if (o >= 0 && z[o] == 8 && chg[o] == 0 && order[j] == 2) {
                        order[j] = 1;
                        chg[o] = -1;
                        chg[a]++;
                    }
                }
            }
        }
    }

    /**
     * RDKit's bond index order for a bond between atoms a and b of the parsed SMILES: chain bonds in the
     * order their later atom is written, then ring closures (see {@link SmilesBondOrder}).
     */
    static int rdkitBondKey(int[] closures, int nAll, int a, int b) {
        if (closures != null) {
            for (int i = 0; i < closures.length; i += 2) {
                if (closures[i] == a && closures[i + 1] == b || closures[i] == b && closures[i + 1] == a) {
                    return nAll + i;
                }
            }
        }
        return Math.max(a, b);
    }
}
