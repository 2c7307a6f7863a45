//! A read of the cluster as `kubectl get TYPE [NAME] [-n NS | -A] [-l SELECTOR]
//! [-o jsonpath=TEMPLATE]` makes it, parsed once into typed parts (the kind, the selector, the
//! template) and then run against the engine as often as needed. Step checks hold these, so a
//! bad resource word, selector or template is found when the lesson loads, not when the step
//! is evaluated. The value a template sees is the one kubectl's printer sees: the object for a
//! named read, else a `List` of the matching objects.

use crate::engine::value::Value;

use super::jsonpath::Template;
use super::{Error, list, resources, selector};
use crate::engine::Cluster;
use crate::engine::objects::scheduling::LabelSelector;
use crate::engine::objects::{Kind, meta};

/// What a query is written as: the words of the `kubectl get` it stands for.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct QueryText {
    /// The type word as written (`ds`, `daemonsets.apps`).
    pub resource: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub all_namespaces: bool,
    pub selector: Option<String>,
    /// The jsonpath template (without `jsonpath=`).
    pub template: Option<String>,
}

/// A parsed query: the text it came from and its typed parts.
#[derive(Clone, Debug)]
pub struct Query {
    text: QueryText,
    kind: Kind,
    selector: Option<LabelSelector>,
    template: Option<Template>,
}

/// Two queries are the same when they are written the same (the parts follow from the text).
impl PartialEq for Query {
    fn eq(&self, other: &Query) -> bool {
        self.text == other.text
    }
}

impl Eq for Query {}

impl serde::Serialize for Query {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.text.serialize(s)
    }
}

impl Query {
    /// Parses the resource word, the selector and the template, as kubectl does before it
    /// sends anything.
    pub fn parse(text: QueryText) -> Result<Query, Error> {
        let kind = resources::kind_of(&text.resource)?;
        let selector = text
            .selector
            .as_deref()
            .map(selector::parse_labels)
            .transpose()?;
        let template = text
            .template
            .as_deref()
            .map(|t| Template::parse(t).map_err(|e| Error::Template(e.to_string())))
            .transpose()?;
        Ok(Query {
            text,
            kind,
            selector,
            template,
        })
    }

    pub fn text(&self) -> &QueryText {
        &self.text
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The namespace to read in: none for cluster-scoped kinds and for `-A` without a name,
    /// as `kubectl get` decides; `default` when none is given.
    pub fn scope(&self) -> Option<&str> {
        let t = &self.text;
        if !self.kind.is_namespaced() || (t.all_namespaces && t.name.is_none()) {
            None
        } else {
            Some(t.namespace.as_deref().unwrap_or("default"))
        }
    }

    /// The one named object, or why there is none (in a learner's words).
    pub fn object<'c>(&self, cluster: &'c Cluster) -> Result<&'c Value, String> {
        let ns = self.scope();
        let name = self.text.name.as_deref().unwrap_or("");
        cluster
            .get(self.kind, ns.unwrap_or(""), name)
            .ok_or_else(|| {
                let what = format!("{} \"{name}\"", self.kind.resource_with_group());
                match ns {
                    Some(ns) => format!("no {what} in namespace {ns}"),
                    None => format!("no {what}"),
                }
            })
    }

    /// The objects a read without a name matches, in the store's order.
    pub fn matching<'c>(&'c self, cluster: &'c Cluster) -> impl Iterator<Item = &'c Value> + 'c {
        cluster.list(self.kind, self.scope()).filter(|o| {
            self.selector
                .as_ref()
                .is_none_or(|s| s.matches(&meta::labels(o)))
        })
    }

    /// What `kubectl get ... -o jsonpath=TEMPLATE` would print (the names of what matched,
    /// space-separated, without a template); an error is why there is nothing to compare.
    pub fn observe(&self, cluster: &Cluster) -> Result<String, String> {
        let wrapped;
        let value = match self.text.name {
            Some(_) if self.selector.is_some() => {
                return Err("a name and a selector together (kubectl refuses it)".to_string());
            }
            // A named object is read where it is stored, never copied.
            Some(_) => self.object(cluster)?,
            None => {
                wrapped = list::wrap(self.matching(cluster).cloned().collect());
                &wrapped
            }
        };
        let Some(template) = &self.template else {
            return Ok(names(value));
        };
        template.execute(value).map_err(|e| {
            let text = e.to_string();
            let head = text
                .split(". Printing more information")
                .next()
                .unwrap_or("");
            head.trim().to_string()
        })
    }
}

/// The space-separated names of one object or of a List's items.
fn names(value: &Value) -> String {
    match value.get("items").and_then(Value::as_array) {
        Some(items) if list::is_list(value) => {
            items.iter().map(meta::name).collect::<Vec<_>>().join(" ")
        }
        _ => meta::name(value).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(resource: &str, template: Option<&str>) -> QueryText {
        QueryText {
            resource: resource.to_string(),
            template: template.map(str::to_string),
            ..QueryText::default()
        }
    }

    #[test]
    fn a_bad_word_selector_or_template_is_refused_at_parse() {
        assert_eq!(
            Query::parse(text("dx", None)).unwrap_err(),
            Error::UnknownResource("dx".to_string())
        );
        let bad = Query::parse(text("ds", Some("{.items[*].metadata.name"))).unwrap_err();
        assert!(matches!(bad, Error::Template(_)), "{bad:?}");
        let sel = QueryText {
            selector: Some("a in b".to_string()),
            ..text("pods", None)
        };
        assert!(matches!(
            Query::parse(sel).unwrap_err(),
            Error::Requirement(_)
        ));
    }

    #[test]
    fn reads_one_object_or_a_list_as_kubectl_prints_them() {
        let cluster = Cluster::kind(1, 3);
        let nodes = Query::parse(text("no", Some("{.items[*].metadata.name}"))).unwrap();
        assert_eq!(
            nodes.observe(&cluster).unwrap(),
            "kind-control-plane kind-worker kind-worker2 kind-worker3"
        );
        let one = Query::parse(QueryText {
            name: Some("kube-system".to_string()),
            ..text("ns", Some("{.status.phase}"))
        })
        .unwrap();
        assert_eq!(one.scope(), None);
        assert_eq!(one.observe(&cluster).unwrap(), "Active");
        let missing = Query::parse(QueryText {
            name: Some("x".to_string()),
            namespace: Some("dev".to_string()),
            ..text("ds", None)
        })
        .unwrap();
        assert_eq!(
            missing.observe(&cluster).unwrap_err(),
            "no daemonsets.apps \"x\" in namespace dev"
        );
    }
}
