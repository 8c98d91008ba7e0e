package gear.experiment.report;

import java.util.List;

/**
 * Minimal XHTML output: escaping and small element helpers. Everything the report writes goes
 * through {@link #esc(String)} (text and attribute values alike), so the page is well-formed XML
 * whatever the run directory contains.
 */
public final class Html {
    private Html() {}

    /**
     * Escapes text for XHTML element content and attribute values: {@code & < > " '} become
     * references and characters that XML 1.0 forbids (control characters other than tab, newline and
     * carriage return, lone surrogates, U+FFFE/U+FFFF) become U+FFFD.
     */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || Character.isSurrogate(c)
                            || c == 0xFFFE || c == 0xFFFF) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** @return {@code <tag>escaped text</tag>} */
    public static String el(String tag, String text) {
        return "<" + tag + ">" + esc(text) + "</" + tag + ">";
    }

    /** @return a paragraph with the given class holding escaped text */
    public static String note(String text) {
        return "<p class=\"note\">" + esc(text) + "</p>\n";
    }

    /**
     * @param summary the always visible line (plain text)
     * @param xhtml the content shown when opened
     * @return a collapsed {@code <details>} block
     */
    public static String collapsed(String summary, String xhtml) {
        return "<details><summary>" + esc(summary) + "</summary>\n" + xhtml + "</details>\n";
    }

    /** @return a {@code <pre>} block of escaped text */
    public static String pre(String text) {
        return "<pre>" + esc(text) + "</pre>\n";
    }

    /**
     * A table of escaped cells; cells that parse as numbers are right-aligned.
     *
     * @param header column names (may be empty: no header row)
     * @param rows rows of cells (null cells are shown empty)
     */
    public static String table(List<String> header, List<List<String>> rows) {
        List<List<String>> raw = new java.util.ArrayList<>(rows.size());
        for (List<String> r : rows) {
            raw.add(r.stream().map(c -> esc(c == null ? "" : c)).toList());
        }
        return rawTable(header, raw);
    }

    /**
     * A table of cells that are already XHTML (escaped text, or markup such as {@code <strong>} and
     * {@code <span title>}), inside a horizontally scrolling box so that a wide table never widens the
     * page; cells whose text is a number are right-aligned.
     *
     * @param header column names (plain text, escaped here; may be empty: no header row)
     * @param rows rows of XHTML cells
     */
    public static String rawTable(List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder("<div class=\"scroll\"><table>\n");
        if (!header.isEmpty()) {
            b.append("<thead><tr>");
            for (String h : header) {
                b.append(el("th", h));
            }
            b.append("</tr></thead>\n");
        }
        b.append("<tbody>\n");
        for (List<String> r : rows) {
            b.append("<tr>");
            for (String c : r) {
                b.append(isNumber(c) ? "<td class=\"num\">" : "<td>").append(c).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody>\n</table></div>\n").toString();
    }

    /** @return whether the text is a decimal number (Java/JSON syntax, NaN and Infinity included) */
    static boolean isNumber(String s) {
        if (s == null || s.isBlank()) {
            return false;
        }
        try {
            Double.parseDouble(s.trim());
            return !s.trim().endsWith("d") && !s.trim().endsWith("f") && !s.trim().endsWith("D") && !s.trim().endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A fragment id made of letters, digits and hyphens. */
    static String id(String s) {
        String r = s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return r.isEmpty() ? "s" : r;
    }
}
