//! Resource arguments (`pods`, `ds,pods`, `pod/x`, `all`) and label / field selectors,
//! as kubectl's resource builder reads them.

use serde_json::Value;

use crate::engine::objects::scheduling::{LabelSelector, Requirement};
use crate::engine::objects::{Kind, meta};

/// What the learner asked for: a kind, with the names given (none = every object).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub kind: Kind,
    pub names: Vec<String>,
}

/// The kinds `all` stands for, in kubectl's order (pods, services, daemonsets, deployments,
/// replicasets; the rest of the `all` category is not simulated).
const ALL: [Kind; 5] = [
    Kind::Pod,
    Kind::Service,
    Kind::DaemonSet,
    Kind::Deployment,
    Kind::ReplicaSet,
];

/// Resolves a type word or fails with kubectl's message.
pub fn kind_of(word: &str) -> Result<Kind, String> {
    Kind::from_resource(word).ok_or_else(|| super::messages::unknown_resource_type(word))
}

/// Parses `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...`.
pub fn parse(args: &[String]) -> Result<Vec<Request>, String> {
    if args.is_empty() {
        return Ok(Vec::new());
    }
    if args.iter().any(|a| a.contains('/')) {
        let mut out: Vec<Request> = Vec::new();
        for a in args {
            let Some((t, n)) = a.split_once('/') else {
                return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n".to_string());
            };
            if n.is_empty() {
                return Err(
                    "error: arguments in resource/name form must have a single resource and name\n"
                        .to_string(),
                );
            }
            let kind = kind_of(t)?;
            match out.iter_mut().find(|r| r.kind == kind) {
                Some(r) => r.names.push(n.to_string()),
                None => out.push(Request {
                    kind,
                    names: vec![n.to_string()],
                }),
            }
        }
        return Ok(out);
    }
    let mut kinds: Vec<Kind> = Vec::new();
    for t in args[0].split(',').filter(|t| !t.is_empty()) {
        if t == "all" {
            kinds.extend(ALL);
        } else {
            kinds.push(kind_of(t)?);
        }
    }
    let names: Vec<String> = args[1..].to_vec();
    if !names.is_empty() && kinds.len() > 1 {
        return Err(
            "error: arguments in resource/name form must have a single resource and name\n"
                .to_string(),
        );
    }
    kinds.dedup();
    Ok(kinds
        .into_iter()
        .map(|kind| Request {
            kind,
            names: names.clone(),
        })
        .collect())
}

/// Parses a `-l` label selector (`a=b,c!=d,e in (f,g),h,!i`).
pub fn parse_selector(s: &str) -> Result<LabelSelector, String> {
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
                return Err(format!(
                    "error: unable to parse requirement: found '{rest}', expected: '('\n"
                ));
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
            return Err(format!(
                "error: unable to parse requirement: <nil>: Invalid value: \"{p}\": invalid label key\n"
            ));
        };
        if let Some(e) = crate::engine::qualified_name(&req.key) {
            return Err(format!(
                "error: unable to parse requirement: key: Invalid value: \"{}\": {}\n",
                req.key, e
            ));
        }
        sel.match_expressions.push(req);
    }
    Ok(sel)
}

/// A `--field-selector` of `path=value`, `path==value` and `path!=value` terms.
pub fn field_selector_matches(selector: &str, obj: &Value) -> Result<bool, String> {
    for term in selector.split(',').filter(|t| !t.is_empty()) {
        let (path, value, negate) = if let Some((p, v)) = term.split_once("!=") {
            (p, v, true)
        } else if let Some((p, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            (p, v, false)
        } else {
            return Err(format!(
                "error: invalid selector: '{selector}'; can't understand '{term}'\n"
            ));
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

    fn s(a: &[&str]) -> Vec<String> {
        a.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn parses_types_names_and_slash_forms() {
        assert_eq!(
            parse(&s(&["ds", "a"])).unwrap(),
            vec![Request {
                kind: Kind::DaemonSet,
                names: s(&["a"])
            }]
        );
        assert_eq!(parse(&s(&["ds,po"])).unwrap().len(), 2);
        assert_eq!(
            parse(&s(&["pod/x", "pod/y"])).unwrap(),
            vec![Request {
                kind: Kind::Pod,
                names: s(&["x", "y"])
            }]
        );
        assert_eq!(
            parse(&s(&["foo"])).unwrap_err(),
            "error: the server doesn't have a resource type \"foo\"\n"
        );
    }

    #[test]
    fn label_selectors_match() {
        let sel = parse_selector("app=demo,tier notin (a,b),!gone").unwrap();
        let mut labels = BTreeMap::new();
        labels.insert("app".to_string(), "demo".to_string());
        assert!(sel.matches(&labels));
        labels.insert("gone".to_string(), "x".to_string());
        assert!(!sel.matches(&labels));
    }
}
