//! TeX in titles and abstracts rendered as MathML on the server: `$..$` inline, `$$..$$` as a block.
//! Anything that does not parse is shown as the TeX it is, escaped; rendering never fails a page.

use crate::html::esc;
use pulldown_latex::config::DisplayMode;
use pulldown_latex::{push_mathml, Parser, RenderConfig, Storage};

/// Escapes `text` for HTML, turning its math spans into `<math>` elements.
pub fn render(text: &str) -> String {
    if !text.contains('$') {
        return esc(text);
    }
    render_marked(text, &[])
}

/// The start of `text`, about `max` bytes, cut at a space outside any formula, rendered like [`render`] and
/// ended with "…"; the whole text when it is not much longer than `max`. Lists show previews so that a long
/// list of abstracts stays a page one can scan (and download) quickly; the paper page shows the whole text.
pub fn preview(text: &str, max: usize) -> String {
    if text.len() <= max + max / 4 {
        return render(text);
    }
    let formulas = formula_ranges(text);
    let inside = |i: usize| formulas.iter().any(|&(a, b, _)| a < i && i < b);
    let cut = text
        .char_indices()
        .take_while(|&(i, _)| i <= max)
        .filter(|&(i, c)| c.is_whitespace() && !inside(i))
        .map(|(i, _)| i)
        .last();
    match cut {
        Some(cut) if cut > max / 2 => format!("{}\u{2026}", render(text[..cut].trim_end())),
        // One formula or word spans the whole preview: show the text whole rather than a stub.
        _ => render(text),
    }
}

/// The `$..$` and `$$..$$` spans of `text`, rendered or not: (start, end, whether `$$`), in order. Scanning
/// stops at an unclosed or empty delimiter (what follows is shown as text).
fn formula_ranges(text: &str) -> Vec<(usize, usize, bool)> {
    let mut spans = Vec::new();
    let mut base = 0;
    while let Some(rel) = find_dollar(&text[base..]) {
        let start = base + rel;
        let double = text[start..].starts_with("$$");
        let open = if double { 2 } else { 1 };
        let body = start + open;
        let close = if double { text[body..].find("$$") } else { find_dollar(&text[body..]) };
        let Some(len) = close.filter(|&l| l > 0) else { break };
        let end = body + len + open;
        spans.push((start, end, double));
        base = end;
    }
    spans
}

/// Escapes `text`, wrapping the byte ranges in `marks` (sorted, disjoint) in `<mark>` and turning math spans
/// into MathML. A mark that overlaps a formula is dropped (the formula is shown whole).
pub fn render_marked(text: &str, marks: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut pos = 0;
    let mut rest_marks: Vec<(usize, usize)> = marks
        .iter()
        .copied()
        .filter(|&(a, b)| a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b))
        .collect();
    rest_marks.sort_unstable();
    for (start, end, html) in math_spans(text) {
        push_marked(&mut out, text, pos, start, &rest_marks);
        out.push_str(&html);
        pos = end;
    }
    push_marked(&mut out, text, pos, text.len(), &rest_marks);
    out
}

/// Escapes `text[from..to]` with the marks that lie wholly inside it.
fn push_marked(out: &mut String, text: &str, from: usize, to: usize, marks: &[(usize, usize)]) {
    let mut pos = from;
    for &(a, b) in marks.iter().filter(|&&(a, b)| a >= from && b <= to) {
        if a < pos {
            continue;
        }
        out.push_str(&esc(&text[pos..a]));
        out.push_str("<mark>");
        out.push_str(&esc(&text[a..b]));
        out.push_str("</mark>");
        pos = b;
    }
    out.push_str(&esc(&text[pos..to]));
}

/// The formulas of `text` that render: (start, end, MathML), in order.
fn math_spans(text: &str) -> Vec<(usize, usize, String)> {
    formula_ranges(text)
        .into_iter()
        .filter_map(|(start, end, double)| {
            let open = if double { 2 } else { 1 };
            mathml(&text[start + open..end - open], double).map(|m| (start, end, m))
        })
        .collect()
}

/// The first `$` not escaped as `\$`.
fn find_dollar(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| b[i] == b'$' && (i == 0 || b[i - 1] != b'\\'))
}

/// One formula as MathML, or `None` when it does not parse or the renderer's output is not plainly safe.
pub fn mathml(tex: &str, block: bool) -> Option<String> {
    if tex.trim().is_empty() || tex.len() > 2000 {
        return None;
    }
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(tex, &storage).collect::<Result<Vec<_>, _>>().ok()?;
    let config = RenderConfig {
        display_mode: if block { DisplayMode::Block } else { DisplayMode::Inline },
        ..RenderConfig::default()
    };
    let mut out = String::new();
    // The renderer's panics on odd input must not take the page down.
    let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        push_mathml(&mut out, events.into_iter().map(Ok::<_, pulldown_latex::ParserError>), config)
    }));
    // The renderer does not escape `<` and `>` as operators.
    let out = out.replace("<mo><</mo>", "<mo>&lt;</mo>").replace("<mo>></mo>", "<mo>&gt;</mo>");
    if !matches!(rendered, Ok(Ok(()))) || !is_safe_mathml(&out) {
        return None;
    }
    // Keep the source as an annotation (escaped here: the renderer would not).
    let open_end = out.find('>')? + 1;
    let close = out.rfind("</math>")?;
    Some(format!(
        "{}<semantics><mrow>{}</mrow><annotation encoding=\"application/x-tex\">{}</annotation></semantics></math>",
        &out[..open_end],
        &out[open_end..close],
        esc(tex)
    ))
}

const TAGS: &[&str] = &[
    "math",
    "semantics",
    "mrow",
    "mi",
    "mo",
    "mn",
    "ms",
    "mtext",
    "mspace",
    "msub",
    "msup",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "mover",
    "munder",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
    "mmultiscripts",
    "mprescripts",
    "none",
    "mlabeledtr",
];

const ATTRS: &[&str] = &[
    "display",
    "mathvariant",
    "stretchy",
    "fence",
    "separator",
    "lspace",
    "rspace",
    "width",
    "height",
    "depth",
    "voffset",
    "displaystyle",
    "scriptlevel",
    "accent",
    "accentunder",
    "movablelimits",
    "columnalign",
    "rowalign",
    "columnspacing",
    "rowspacing",
    "columnlines",
    "rowlines",
    "frame",
    "linethickness",
    "form",
    "largeop",
    "symmetric",
    "minsize",
    "maxsize",
    "notation",
    "class",
    "mathsize",
];

/// True when `s` is only allow-listed MathML elements and attributes, with quoted plain values and
/// escaped text: nothing a browser could run or load.
fn is_safe_mathml(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' => {
                let Some(end) = s[i..].find('>').map(|e| i + e) else { return false };
                let inner = &s[i + 1..end];
                let inner = inner.strip_prefix('/').unwrap_or(inner);
                let inner = inner.strip_suffix('/').unwrap_or(inner);
                let (name, mut rest) = inner.split_once(' ').unwrap_or((inner, ""));
                if !TAGS.contains(&name) {
                    return false;
                }
                while !rest.trim().is_empty() {
                    let r = rest.trim_start();
                    let Some((attr, after)) = r.split_once("=\"") else { return false };
                    let Some((value, tail)) = after.split_once('"') else { return false };
                    if !ATTRS.contains(&attr) || value.contains(['<', '>', '&', '\'', '(', ':']) {
                        return false;
                    }
                    rest = tail;
                }
                i = end + 1;
            }
            b'>' => return false,
            b'&' => {
                let entity = s[i + 1..].split(';').next().unwrap_or("");
                if entity.is_empty()
                    || entity.len() > 10
                    || !entity.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'#')
                {
                    return false;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_cut_at_a_space_outside_formulas() {
        let short = "A short abstract with $x^2$.";
        assert_eq!(preview(short, 100), render(short));
        let long = format!("{} $a + b = c$ {}", "word ".repeat(18), "tail ".repeat(40));
        let p = preview(&long, 100);
        assert!(p.ends_with('\u{2026}'), "{p}");
        assert!(p.len() < long.len());
        // The cut falls inside the formula's bytes, so the whole formula is kept or dropped, never split.
        assert!(!p.contains('$'), "{p}");
        assert_eq!(p.matches("<math").count(), p.matches("</math>").count());
        let formula_at_cut = format!("{} $\\alpha + \\beta$ and more words {}", "w".repeat(95), "x ".repeat(60));
        let p = preview(&formula_at_cut, 100);
        assert!(!p.contains("\\alpha +"), "a formula must not be cut: {p}");
    }

    #[test]
    fn inline_and_block_math_become_mathml() {
        let html = render("Weighted SGD for $\\ell_p$ Regression");
        assert!(html.starts_with("Weighted SGD for <math"), "{html}");
        assert!(html.ends_with("</math> Regression"), "{html}");
        let html = render("we show $$\\sum_i x_i$$ holds");
        assert!(html.contains("display=\"block\""), "{html}");
    }

    #[test]
    fn failures_fall_back_to_escaped_tex() {
        assert_eq!(render("costs $5 and <b>"), "costs $5 and &lt;b&gt;");
        let html = render("bad $\\frac{1}{$ here");
        assert!(html.contains("$\\frac{1}{$") && !html.contains("<math"), "{html}");
        assert_eq!(render("no math & co"), "no math &amp; co");
    }

    #[test]
    fn marks_and_math_together() {
        let text = "Fast <b> $\\ell_p$ regression";
        let html = render_marked(text, &[(0, 4), (10, 16), (18, 28)]);
        assert!(html.starts_with("<mark>Fast</mark> &lt;b&gt; <math"), "{html}");
        assert!(html.ends_with("</math> <mark>regression</mark>"), "{html}");
        assert_eq!(render_marked("a $5 b", &[(5, 6)]), "a $5 <mark>b</mark>");
    }

    #[test]
    fn markup_in_math_is_escaped() {
        let html = render("$\\text{<script>alert(1)</script>}$ and $a<b$ and $\\color{red\\\" onclick=\\\"x}{y}$");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<mo><</mo>") && !html.contains("onclick=\""), "{html}");
        assert!(html.contains("<mo>&lt;</mo>"), "{html}");
    }
}
