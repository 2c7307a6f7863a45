//! The Go types of a `v1.PodTemplateSpec` (k8s.io/api and k8s.io/apimachinery v0.21.1), read
//! once from `go_types.txt`: for each struct its fields in declaration order, with their Go
//! names, JSON keys and Go types, and the named non-struct types with what they stand for.
//! The spew emulation walks an object's JSON along these types.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Where a struct field's value is found in the object's JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum JsonKey {
    /// Under this key.
    Key(&'static str),
    /// An embedded struct marshalled inline: its fields sit in the same JSON object.
    Inline,
    /// Never marshalled (`json:"-"`): always the zero value.
    Never,
}

/// One field of a Go struct.
#[derive(Clone, Copy, Debug)]
pub(super) struct Field {
    pub go: &'static str,
    pub json: JsonKey,
    pub ty: &'static str,
}

/// The table: struct fields and named types by Go type name (`v1.Container`).
#[derive(Debug, Default)]
pub(super) struct GoTypes {
    structs: HashMap<&'static str, Vec<Field>>,
    named: HashMap<&'static str, &'static str>,
}

const TABLE: &str = include_str!("go_types.txt");

/// The table, parsed on first use.
pub(super) fn types() -> &'static GoTypes {
    static TYPES: OnceLock<GoTypes> = OnceLock::new();
    TYPES.get_or_init(|| parse(TABLE))
}

/// Reads the table's text; a line that does not parse is skipped (the tests check that
/// every line parses and every type a field names is known).
fn parse(text: &'static str) -> GoTypes {
    let mut t = GoTypes::default();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((name, rest)) = line.split_once(": ") {
            let fields = rest.split("; ").filter_map(field).collect();
            t.structs.insert(name.trim(), fields);
        } else if let Some((name, ty)) = line.split_once(" = ") {
            t.named.insert(name.trim(), ty.trim());
        }
    }
    t
}

fn field(text: &'static str) -> Option<Field> {
    let mut parts = text.splitn(3, ' ');
    let go = parts.next()?;
    let json = match parts.next()? {
        "-" => JsonKey::Inline,
        "!" => JsonKey::Never,
        key => JsonKey::Key(key),
    };
    let ty = parts.next()?;
    Some(Field { go, json, ty })
}

impl GoTypes {
    /// The fields of struct type `ty`, if the table has it.
    pub(super) fn fields(&self, ty: &str) -> Option<&[Field]> {
        self.structs.get(ty).map(Vec::as_slice)
    }

    /// What a named type stands for, followed to a type that is not named here
    /// (`v1.ResourceList` → `map[v1.ResourceName]resource.Quantity`).
    pub(super) fn underlying<'a>(&'a self, mut ty: &'a str) -> &'a str {
        // The table has no cycles; the bound only guards against a bad edit of it.
        for _ in 0..8 {
            match self.named.get(ty) {
                Some(next) => ty = next,
                None => break,
            }
        }
        ty
    }

    #[cfg(test)]
    pub(super) fn all_field_types(
        &self,
    ) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        let structs = self
            .structs
            .iter()
            .flat_map(|(name, fs)| fs.iter().map(move |f| (*name, f.ty)));
        let named = self.named.iter().map(|(name, ty)| (*name, *ty));
        structs.chain(named)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_table_parses() {
        let lines = TABLE
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        let t = types();
        assert_eq!(t.structs.len() + t.named.len(), lines);
        for line in TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains(": "))
        {
            let fields = line
                .split_once(": ")
                .map_or(0, |(_, r)| r.split("; ").count());
            let name = line.split_once(": ").map_or("", |(n, _)| n);
            assert_eq!(t.fields(name).map_or(0, <[Field]>::len), fields, "{name}");
        }
    }

    #[test]
    fn pod_spec_fields_are_in_go_declaration_order() {
        let t = types();
        let spec: Vec<&str> = t
            .fields("v1.PodSpec")
            .unwrap_or_default()
            .iter()
            .map(|f| f.go)
            .collect();
        assert_eq!(spec.len(), 35);
        assert_eq!(
            &spec[..4],
            [
                "Volumes",
                "InitContainers",
                "Containers",
                "EphemeralContainers"
            ]
        );
        assert_eq!(spec.last(), Some(&"SetHostnameAsFQDN"));
        let probe = t.fields("v1.Probe").unwrap_or_default();
        assert_eq!(probe[0].json, JsonKey::Inline);
        assert_eq!(probe[0].ty, "v1.Handler");
        assert_eq!(
            t.underlying("v1.ResourceList"),
            "map[v1.ResourceName]resource.Quantity"
        );
    }
}
