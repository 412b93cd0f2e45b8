//! Streams the record elements of an XML document (arXiv's Atom `<entry>`, PubMed's `<PubmedArticle>`) as
//! small element trees, each with the line where it starts. Read errors and XML syntax errors become one
//! located error, after which the stream ends (XML cannot be resynchronised reliably).

use crate::{ParseError, Record};
use arrow_model::Work;
use quick_xml::events::{BytesStart, Event};
use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

/// An element with its attributes and content. Names are kept as written, prefix included (`arxiv:doi`).
#[derive(Debug, Default, Clone)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub(crate) fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub(crate) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.name == name)
    }

    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The element at a path of child names.
    pub(crate) fn path(&self, names: &[&str]) -> Option<&Element> {
        names.iter().try_fold(self, |e, n| e.child(n))
    }

    /// All text inside, inline markup (`<i>`, `<sup>`) flattened.
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// The text of the child at `names`, whitespace collapsed; `None` when absent or blank.
    pub(crate) fn text_at(&self, names: &[&str]) -> Option<String> {
        self.path(names).map(|e| super::text::collapse_ws(&e.text())).filter(|t| !t.is_empty())
    }
}

const RECENT_NEWLINES: usize = 1 << 16;

/// A `BufRead` that counts the lines consumed, so events can be located.
struct Counting<R> {
    inner: R,
    pos: u64,
    newlines: u64,
    recent: VecDeque<u64>,
}

impl<R: BufRead> Counting<R> {
    fn count(&mut self, amt: usize) {
        if amt == 0 {
            return;
        }
        if let Ok(buf) = self.inner.fill_buf() {
            let amt = amt.min(buf.len());
            for (i, _) in buf[..amt].iter().enumerate().filter(|(_, &b)| b == b'\n') {
                self.newlines += 1;
                if self.recent.len() == RECENT_NEWLINES {
                    self.recent.pop_front();
                }
                self.recent.push_back(self.pos + i as u64);
            }
            self.pos += amt as u64;
        }
    }

    /// The 1-based line of the byte at `offset` (exact for recent offsets, approximate far back).
    fn line_at(&self, offset: u64) -> u64 {
        let after = self.recent.len() - self.recent.partition_point(|&p| p < offset);
        self.newlines - after as u64 + 1
    }
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.inner.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.count(amt);
        self.inner.consume(amt);
    }
}

/// The works of a document whose root element must be `root` (named `what` in messages, e.g. "an Atom
/// <feed>"): each record element converted by `convert`, a bad record reported at its line; a read or
/// syntax error ends the stream after it is reported.
pub(crate) fn works<R: BufRead>(
    mut xml: XmlRecords<R>,
    root: &'static str,
    what: &'static str,
    convert: fn(&Element) -> Result<Work, String>,
) -> impl Iterator<Item = Result<Record, ParseError>> {
    let mut finished = false;
    std::iter::from_fn(move || {
        if finished {
            return None;
        }
        match xml.next_record() {
            Some(Ok((line, element))) => Some(
                convert(&element).map(|work| Record { work, line }).map_err(|m| ParseError::new(xml.name(), line, m)),
            ),
            Some(Err(e)) => {
                finished = true;
                Some(Err(e))
            }
            None => {
                finished = true;
                match xml.root.as_deref() {
                    Some(r) if r == root => None,
                    Some(other) => {
                        Some(Err(ParseError::new(xml.name(), 1, format!("expected {what}, found <{other}>"))))
                    }
                    None => Some(Err(ParseError::new(xml.name(), 1, format!("no XML content: expected {what}")))),
                }
            }
        }
    })
}

/// Streams elements named in `records` (outside any other record) as trees.
pub(crate) struct XmlRecords<R> {
    reader: quick_xml::Reader<Counting<R>>,
    name: String,
    records: &'static [&'static str],
    buf: Vec<u8>,
    /// The record being built: its start line and the open elements, outermost first.
    open: Vec<Element>,
    start_line: u64,
    /// The document's root element name, once seen.
    pub root: Option<String>,
    done: bool,
}

impl<R: BufRead> XmlRecords<R> {
    pub(crate) fn new(name: String, reader: R, records: &'static [&'static str]) -> Self {
        let counting = Counting { inner: reader, pos: 0, newlines: 0, recent: VecDeque::new() };
        XmlRecords {
            reader: quick_xml::Reader::from_reader(counting),
            name,
            records,
            buf: Vec::new(),
            open: Vec::new(),
            start_line: 0,
            root: None,
            done: false,
        }
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    fn line(&self) -> u64 {
        self.reader.get_ref().newlines + 1
    }

    fn error(&mut self, line: u64, msg: String) -> Option<Result<(u64, Element), ParseError>> {
        self.done = true;
        Some(Err(ParseError::new(&self.name, line, msg)))
    }

    fn push_text(&mut self, t: &str) {
        if let Some(top) = self.open.last_mut() {
            match top.children.last_mut() {
                Some(Node::Text(prev)) => prev.push_str(t),
                _ => top.children.push(Node::Text(t.to_string())),
            }
        }
    }

    /// The next record and its start line, a located error (then the end), or `None` at the end.
    pub(crate) fn next_record(&mut self) -> Option<Result<(u64, Element), ParseError>> {
        while !self.done {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(ev) => ev.into_owned(),
                Err(e) => {
                    let line = match &e {
                        quick_xml::Error::Io(_) | quick_xml::Error::Encoding(_) => self.line(),
                        _ => self.reader.get_ref().line_at(self.reader.error_position()),
                    };
                    let msg = match e {
                        quick_xml::Error::Io(io) => format!("read failed: {io}"),
                        // Since 0.42 the reader checks UTF-8 itself (it was checked when decoding text before).
                        quick_xml::Error::Encoding(e) => format!("invalid text: {e}"),
                        e => format!("invalid XML: {e}"),
                    };
                    return self.error(line, msg);
                }
            };
            match event {
                Event::Start(s) => {
                    let el = element(&s);
                    if !self.open.is_empty() {
                        self.open.push(el);
                    } else if self.records.contains(&el.name.as_str()) {
                        self.start_line = self.line();
                        self.open.push(el);
                    } else if self.root.is_none() {
                        self.root = Some(el.name);
                    }
                }
                Event::Empty(s) => {
                    let el = element(&s);
                    if let Some(top) = self.open.last_mut() {
                        top.children.push(Node::Element(el));
                    } else if self.records.contains(&el.name.as_str()) {
                        return Some(Ok((self.line(), el)));
                    } else if self.root.is_none() {
                        self.root = Some(el.name);
                    }
                }
                Event::End(_) => {
                    if let Some(el) = self.open.pop() {
                        match self.open.last_mut() {
                            Some(parent) => parent.children.push(Node::Element(el)),
                            None => return Some(Ok((self.start_line, el))),
                        }
                    }
                }
                Event::Text(t) => {
                    if !self.open.is_empty() {
                        // quick-xml 0.42 checks UTF-8 while reading: invalid text is a reader error above.
                        self.push_text(&t.xml10_content());
                    }
                }
                Event::CData(c) => {
                    if !self.open.is_empty() {
                        self.push_text(&c);
                    }
                }
                Event::GeneralRef(r) => {
                    if !self.open.is_empty() {
                        let name: &str = &r;
                        let s = match r.resolve_char_ref() {
                            Ok(Some(c)) => c.to_string(),
                            _ => match quick_xml::escape::resolve_predefined_entity(name) {
                                Some(s) => s.to_string(),
                                None => format!("&{name};"),
                            },
                        };
                        self.push_text(&s);
                    }
                }
                Event::Eof => {
                    self.done = true;
                    if let Some(first) = self.open.first() {
                        let msg = format!(
                            "input ends inside <{}> started at line {}: truncated file?",
                            first.name, self.start_line
                        );
                        let line = self.line();
                        return self.error(line, msg);
                    }
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
        None
    }
}

fn element(s: &BytesStart<'_>) -> Element {
    let name = s.name().as_ref().to_string();
    let attrs = s
        .attributes()
        .flatten()
        .map(|a| {
            let key = a.key.as_ref().to_string();
            // `escape::unescape`, not `Attribute::unescape_value`: since 0.42 that one also normalizes whitespace.
            let value = match quick_xml::escape::unescape(&a.value) {
                Ok(v) => v.into_owned(),
                Err(_) => a.value.clone().into_owned(),
            };
            (key, value)
        })
        .collect();
    Element { name, attrs, children: Vec::new() }
}
