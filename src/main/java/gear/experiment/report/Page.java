package gear.experiment.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The page skeleton: sections with a table of contents, a list of problems met while reading the
 * directory, inline CSS and the image-count script. The output is well-formed XHTML with an HTML5
 * doctype (no external DTD, no named entities), so both browsers and XML parsers accept it.
 */
final class Page {
    /** Inline style: no external resources. */
    static final String CSS = """
            body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:2em auto;\
            max-width:70em;padding:0 1em;color:#222;line-height:1.4}
            h1{font-size:1.6em;border-bottom:2px solid #ccc}h2{font-size:1.3em;border-bottom:1px solid #ddd;margin-top:2em}
            table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
            th,td{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}th{background:#f3f3f3}
            td.num{text-align:right;font-variant-numeric:tabular-nums}td.pre{white-space:pre-wrap;font-family:monospace}
            pre{background:#f6f6f6;padding:.6em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
            code{background:#f3f3f3}.note{color:#555;font-size:.9em}.problem{color:#a00}
            figure{display:inline-block;margin:.5em;vertical-align:top}figure img{width:32em;max-width:100%;height:auto;border:1px solid #ddd}
            figcaption{font-size:.85em;color:#555;text-align:center}nav ul{columns:2}
            .scroll{overflow-x:auto;max-width:100%}p,h1,h2,h3,li,figcaption{overflow-wrap:break-word}
            details{margin:.5em 0}summary{cursor:pointer;color:#235}figure{max-width:100%}
            td strong{color:#000}.raw td{white-space:nowrap}
            """;
    /**
     * Counts the images the browser decoded once the page has loaded and records it on body
     * (attribute {@code data-images-loaded}), with the page's scroll width and the viewport's width
     * ({@code data-page-width}, {@code data-view-width}: the page overflows when the first is larger); written without '&lt;' and '&amp;' so that it is valid
     * XML text.
     */
    static final String SCRIPT = "window.addEventListener('load',function(){var n=0;"
            + "Array.prototype.forEach.call(document.images,function(i){if(i.complete){if(i.naturalWidth>0){n++;}}});"
            + "document.body.setAttribute('data-images-loaded',String(n));"
            + "document.body.setAttribute('data-page-width',String(document.documentElement.scrollWidth));"
            + "document.body.setAttribute('data-view-width',String(document.documentElement.clientWidth));});";

    private final List<String> titles = new ArrayList<>();
    private final List<String> bodies = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    void section(String title, String xhtml) {
        titles.add(title);
        bodies.add(xhtml);
    }

    void problem(String text) {
        problems.add(text);
    }

    List<String> titles() {
        return List.copyOf(titles);
    }

    String render(String title, String meta, int images) {
        StringBuilder b = new StringBuilder(1 << 16);
        b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append(Html.el("title", title)).append('\n')
                .append("<style>\n").append(CSS).append("</style>\n</head>\n")
                .append("<body data-images-total=\"").append(images).append("\">\n")
                .append(Html.el("h1", title)).append('\n')
                .append("<p class=\"note\">").append(Html.esc(meta)).append("</p>\n");
        if (!problems.isEmpty()) {
            b.append("<ul class=\"problem\">\n");
            for (String p : problems) {
                b.append(Html.el("li", p)).append('\n');
            }
            b.append("</ul>\n");
        }
        List<String> ids = new ArrayList<>();
        b.append("<nav><ul>\n");
        for (String t : titles) {
            String id = Html.id(t);
            while (ids.contains(id)) {
                id = id + "-x";
            }
            ids.add(id);
            b.append("<li><a href=\"#").append(id).append("\">").append(Html.esc(t)).append("</a></li>\n");
        }
        b.append("</ul></nav>\n");
        for (int i = 0; i < titles.size(); i++) {
            b.append("<section id=\"").append(ids.get(i)).append("\">\n<h2>").append(Html.esc(titles.get(i)))
                    .append("</h2>\n").append(bodies.get(i)).append("</section>\n");
        }
        b.append("<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }
}
