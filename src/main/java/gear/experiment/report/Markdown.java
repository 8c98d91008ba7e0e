package gear.experiment.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Markdown-to-XHTML converter for the subset the project's summaries use: ATX headings
 * ({@code #}…{@code ######}, shifted down so that they nest under the report's own headings),
 * pipe tables (header row, {@code |---|} separator, body rows), bullet ({@code - * +}) and numbered
 * ({@code 1.}) lists without nesting, fenced code blocks ({@code ```}), paragraphs (blank-line
 * separated), and inline {@code `code`}, {@code **bold**} and {@code *emphasis*}. All text is
 * escaped; anything else is shown as plain text. The output is always well-formed XHTML.
 */
public final class Markdown {
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern BULLET = Pattern.compile("^\\s*[-*+]\\s+(.*)$");
    private static final Pattern NUMBERED = Pattern.compile("^\\s*\\d+[.)]\\s+(.*)$");
    private static final Pattern SEPARATOR = Pattern.compile("^\\s*\\|?\\s*:?-+:?\\s*(\\|\\s*:?-+:?\\s*)*\\|?\\s*$");
    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
    private static final Pattern EM = Pattern.compile("(?<![*\\w])\\*(?!\\s)([^*<>]+?)\\*(?![*\\w])");

    private Markdown() {}

    /**
     * Converts Markdown to an XHTML fragment.
     *
     * @param md the Markdown text
     * @param headingShift added to every heading level (capped at 6), e.g. 2 so that {@code #} becomes {@code h3}
     */
    public static String toXhtml(String md, int headingShift) {
        String[] lines = md.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        StringBuilder out = new StringBuilder();
        List<String> para = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            Matcher h = HEADING.matcher(line);
            if (line.strip().startsWith("```")) {
                flush(out, para);
                StringBuilder code = new StringBuilder();
                i++;
                while (i < lines.length && !lines[i].strip().startsWith("```")) {
                    code.append(lines[i++]).append('\n');
                }
                i++;
                out.append(Html.pre(code.toString()));
            } else if (line.isBlank()) {
                flush(out, para);
                i++;
            } else if (h.matches()) {
                flush(out, para);
                int level = Math.min(6, h.group(1).length() + headingShift);
                out.append("<h").append(level).append('>').append(inline(h.group(2))).append("</h").append(level).append(">\n");
                i++;
            } else if (line.contains("|") && i + 1 < lines.length && SEPARATOR.matcher(lines[i + 1]).matches()
                    && lines[i + 1].contains("-")) {
                flush(out, para);
                List<String> header = cells(line);
                i += 2;
                StringBuilder t = new StringBuilder("<table>\n<thead><tr>");
                for (String c : header) {
                    t.append("<th>").append(inline(c)).append("</th>");
                }
                t.append("</tr></thead>\n<tbody>\n");
                while (i < lines.length && lines[i].contains("|") && !lines[i].isBlank()) {
                    t.append("<tr>");
                    for (String c : cells(lines[i++])) {
                        t.append(Html.isNumber(c) ? "<td class=\"num\">" : "<td>").append(inline(c)).append("</td>");
                    }
                    t.append("</tr>\n");
                }
                out.append(t).append("</tbody>\n</table>\n");
            } else if (BULLET.matcher(line).matches() || NUMBERED.matcher(line).matches()) {
                flush(out, para);
                boolean numbered = !BULLET.matcher(line).matches();
                Pattern p = numbered ? NUMBERED : BULLET;
                String tag = numbered ? "ol" : "ul";
                out.append('<').append(tag).append(">\n");
                Matcher m;
                while (i < lines.length && (m = p.matcher(lines[i])).matches()) {
                    out.append("<li>").append(inline(m.group(1))).append("</li>\n");
                    i++;
                }
                out.append("</").append(tag).append(">\n");
            } else {
                para.add(line.strip());
                i++;
            }
        }
        flush(out, para);
        return out.toString();
    }

    private static void flush(StringBuilder out, List<String> para) {
        if (!para.isEmpty()) {
            out.append("<p>").append(inline(String.join(" ", para))).append("</p>\n");
            para.clear();
        }
    }

    private static List<String> cells(String row) {
        String r = row.strip();
        if (r.startsWith("|")) {
            r = r.substring(1);
        }
        if (r.endsWith("|") && !r.endsWith("\\|")) {
            r = r.substring(0, r.length() - 1);
        }
        List<String> c = new ArrayList<>();
        for (String s : r.split("(?<!\\\\)\\|", -1)) {
            c.add(s.strip().replace("\\|", "|"));
        }
        return c;
    }

    /** Inline markup on one line of text: code spans first (their content is literal), then bold and emphasis. */
    static String inline(String text) {
        StringBuilder b = new StringBuilder();
        String[] parts = text.split("`", -1);
        for (int k = 0; k < parts.length; k++) {
            boolean code = k % 2 == 1 && k < parts.length - 1; // an unmatched trailing backtick stays literal
            if (code) {
                b.append("<code>").append(Html.esc(parts[k])).append("</code>");
            } else {
                String s = Html.esc(k % 2 == 1 ? "`" + parts[k] : parts[k]);
                s = BOLD.matcher(s).replaceAll("<strong>$1</strong>");
                s = EM.matcher(s).replaceAll("<em>$1</em>");
                b.append(s);
            }
        }
        return b.toString();
    }
}
