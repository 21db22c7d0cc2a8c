//! A small streaming walk over XML shared by the GPX and TCX readers.
//!
//! quick-xml gives events; this keeps a stack of element tags (classified
//! once into small integers, so no per-element allocation) and the text of
//! the current element. It does not check namespace bindings, which lets it
//! read real exports that use undeclared prefixes (Strava's `gpxdata:`).

use super::DecodeError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// A tag number chosen by the format's classifier; 0 means "not interesting".
pub type Tag = u8;

/// Deepest element nesting read (GPX and TCX need about 10): deeper is not
/// an activity file, and a limit keeps every walk linear in the input.
pub const MAX_DEPTH: usize = 64;

pub trait Handler {
    /// An element opened. `stack` ends with this element's tag.
    fn start(&mut self, stack: &[Tag], element: &BytesStart<'_>);
    /// An element closed, with its text content (trimmed).
    fn end(&mut self, stack: &[Tag], text: &str);
}

/// Walks `bytes` as XML. Leading whitespace or a byte-order mark before the
/// declaration is tolerated (some exporters write it).
pub fn walk(
    bytes: &[u8],
    classify: fn(&str) -> Tag,
    handler: &mut impl Handler,
) -> Result<(), DecodeError> {
    let text = String::from_utf8_lossy(bytes);
    let start = text
        .char_indices()
        .find(|(_, c)| !c.is_whitespace() && *c != '\u{feff}')
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let text = &text[start..];
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Tag> = Vec::with_capacity(16);
    let mut content = String::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            DecodeError::at(
                start + reader.error_position() as usize,
                format!("XML is not well-formed: {e}"),
            )
        })?;
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(DecodeError::at(
                        start + reader.buffer_position() as usize,
                        format!("XML nests elements deeper than {MAX_DEPTH} levels: not a GPX or TCX file"),
                    ));
                }
                stack.push(classify(e.local_name().as_ref()));
                content.clear();
                handler.start(&stack, &e);
            }
            Event::Empty(e) => {
                stack.push(classify(e.local_name().as_ref()));
                handler.start(&stack, &e);
                handler.end(&stack, "");
                stack.pop();
                content.clear();
            }
            Event::End(_) => {
                handler.end(&stack, content.trim());
                stack.pop();
                content.clear();
            }
            Event::Text(t) => content.push_str(&t.xml10_content()),
            Event::CData(t) => content.push_str(&t.into_inner()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    content.push(c);
                } else {
                    content.push_str(match r.into_inner().as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(DecodeError::at(
            start + text.len(),
            "XML ends before its elements are closed (truncated file?)",
        ));
    }
    Ok(())
}

/// An attribute's value as text, if present.
pub fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Parses a number as written in XML activity files; rejects NaN and the
/// words for infinity. A number too large for a double (`1.8e308`) is read
/// as the largest one, so the physical-limit checks drop it and name it
/// ([`crate::clean::drop_impossible_values`]) instead of it vanishing.
pub fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    let v = text.parse::<f64>().ok()?;
    if v.is_finite() {
        Some(v)
    } else if v.is_infinite() && text.bytes().any(|b| b.is_ascii_digit()) {
        Some(f64::MAX.copysign(v))
    } else {
        None
    }
}
