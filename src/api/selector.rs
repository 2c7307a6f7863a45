//! Label selectors (`-l a=b,c!=d,e in (f,g),h,!i`) and field selectors
//! (`--field-selector spec.nodeName=x`), as apimachinery's parsers read them.

use crate::engine::value::Value;

use super::Error;
use crate::engine::objects::meta;
use crate::engine::objects::scheduling::{LabelSelector, Requirement};

/// Parses a `-l` label selector (`a=b,c!=d,e in (f,g),h,!i`).
pub fn parse_labels(s: &str) -> Result<LabelSelector, Error> {
    let mut sel = LabelSelector::default();
    let mut parts: Vec<String> = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for ch in s.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    parts.push(cur);
    for p in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let req = if let Some(k) = p.strip_prefix('!') {
            Requirement {
                key: k.trim().into(),
                operator: "DoesNotExist".into(),
                values: vec![],
            }
        } else if let Some((k, v)) = p.split_once("!=") {
            Requirement {
                key: k.trim().into(),
                operator: "NotIn".into(),
                values: vec![v.trim().into()],
            }
        } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
            Requirement {
                key: k.trim().into(),
                operator: "In".into(),
                values: vec![v.trim().into()],
            }
        } else if let Some((k, rest)) = p.split_once(" notin ").or_else(|| p.split_once(" in ")) {
            let op = if p.contains(" notin ") { "NotIn" } else { "In" };
            let inner = rest
                .trim()
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'));
            let Some(inner) = inner else {
                return Err(Error::Requirement(format!("found '{rest}', expected: '('")));
            };
            let values = inner
                .split(',')
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            Requirement {
                key: k.trim().into(),
                operator: op.into(),
                values,
            }
        } else if p
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        {
            Requirement {
                key: p.into(),
                operator: "Exists".into(),
                values: vec![],
            }
        } else {
            return Err(Error::Requirement(format!(
                "<nil>: Invalid value: \"{p}\": invalid label key"
            )));
        };
        if let Some(e) = crate::engine::qualified_name(&req.key) {
            return Err(Error::Requirement(format!(
                "key: Invalid value: \"{}\": {}",
                req.key, e
            )));
        }
        sel.match_expressions.push(req);
    }
    Ok(sel)
}

/// A `--field-selector` of `path=value`, `path==value` and `path!=value` terms.
pub fn fields_match(selector: &str, obj: &Value) -> Result<bool, Error> {
    for term in selector.split(',').filter(|t| !t.is_empty()) {
        let (path, value, negate) = if let Some((p, v)) = term.split_once("!=") {
            (p, v, true)
        } else if let Some((p, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            (p, v, false)
        } else {
            return Err(Error::FieldSelector {
                selector: selector.to_string(),
                term: term.to_string(),
            });
        };
        let keys: Vec<&str> = path.split('.').collect();
        let actual = meta::at(obj, &keys)
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .unwrap_or_default();
        if (actual == value) == negate {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn label_selectors_match() {
        let sel = parse_labels("app=demo,tier notin (a,b),!gone").unwrap();
        let mut labels = BTreeMap::new();
        labels.insert("app".to_string(), "demo".to_string());
        assert!(sel.matches(&labels));
        labels.insert("gone".to_string(), "x".to_string());
        assert!(!sel.matches(&labels));
    }
}
