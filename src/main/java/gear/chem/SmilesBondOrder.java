package gear.chem;

/**
 * Reproduces RDKit's bond numbering for a SMILES string: chain and branch bonds get indices in the
 * order their second atom is written, ring-closure bonds are numbered after all of them in the order
 * their closing digit is read. The chiral tags RDKit reports are relative to this order of an atom's
 * bonds, so it is needed to convert SMILES {@code @}/{@code @@} into RDKit's CW/CCW tags.
 */
final class SmilesBondOrder {
    private SmilesBondOrder() {}

    /**
     * Scans a SMILES string for ring-closure bonds.
     *
     * @param smiles the SMILES
     * @param nAtoms number of atoms the toolkit parsed (the scan is ignored if it disagrees)
     * @return pairs {a, b} of ring-closure bonds in closing order (flattened), or null if the scan failed
     */
    static int[] ringClosures(String smiles, int nAtoms) {
        int[] open = new int[100];
        java.util.Arrays.fill(open, -1);
        int[] out = new int[16];
        int nOut = 0;
        int atom = -1;
        int count = 0;
        int n = smiles.length();
        for (int i = 0; i < n; i++) {
            char c = smiles.charAt(i);
            int ring = -1;
            if (c == '[') {
                int j = smiles.indexOf(']', i);
                if (j < 0) {
                    return null;
                }
                atom = count++;
                i = j;
                continue;
            } else if (c == '%') {
                if (i + 2 >= n) {
                    return null;
                }
                if (smiles.charAt(i + 1) == '(') {
                    int j = smiles.indexOf(')', i);
                    if (j < 0) {
                        return null;
                    }
                    ring = Integer.parseInt(smiles.substring(i + 2, j));
                    i = j;
                } else {
                    ring = (smiles.charAt(i + 1) - '0') * 10 + (smiles.charAt(i + 2) - '0');
                    i += 2;
                }
            } else if (c >= '0' && c <= '9') {
                ring = c - '0';
            } else if (c == 'C' && i + 1 < n && smiles.charAt(i + 1) == 'l'
                    || c == 'B' && i + 1 < n && smiles.charAt(i + 1) == 'r') {
                atom = count++;
                i++;
                continue;
            } else if ("BCNOPSFIbcnops*".indexOf(c) >= 0) {
                atom = count++;
                continue;
            } else if (c == ' ' || c == '\t') {
                break;
            } else {
                continue;
            }
            if (ring < 0 || atom < 0) {
                return null;
            }
            if (ring >= open.length) {
                int old = open.length;
                open = java.util.Arrays.copyOf(open, ring + 1);
                java.util.Arrays.fill(open, old, open.length, -1);
            }
            if (open[ring] < 0) {
                open[ring] = atom;
            } else {
                if (nOut + 2 > out.length) {
                    out = java.util.Arrays.copyOf(out, out.length * 2);
                }
                out[nOut++] = open[ring];
                out[nOut++] = atom;
                open[ring] = -1;
            }
        }
        if (count != nAtoms) {
            return null;
        }
        return java.util.Arrays.copyOf(out, nOut);
    }
}
