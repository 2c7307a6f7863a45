//! API errors, displayed in the API server's own words as kubectl prints them.

use std::fmt;

use super::objects::Kind;

/// One field error of an `Invalid` response (`field.Error`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field path, e.g. `spec.template.metadata.labels`.
    pub field: String,
    /// `field.Error.ErrorBody`: `Invalid value: "x": detail`, `Required value`, ...
    pub body: String,
}

/// An error the simulated API server returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    NotFound {
        kind: Kind,
        name: String,
    },
    AlreadyExists {
        kind: Kind,
        name: String,
    },
    Invalid {
        kind: Kind,
        name: String,
        causes: Vec<FieldError>,
    },
    /// Creating in a namespace that is being deleted.
    NamespaceTerminating {
        kind: Kind,
        name: String,
        namespace: String,
    },
    BadRequest(String),
    /// etcd refused the write: its space quota is used up. The API server passes etcd's
    /// message on with no status reason (kubectl prints `Error from server: ...`).
    SpaceExceeded,
}

impl ApiError {
    /// The status reason kubectl shows in parentheses (`NotFound`).
    pub fn reason(&self) -> &'static str {
        match self {
            ApiError::NotFound { .. } => "NotFound",
            ApiError::AlreadyExists { .. } => "AlreadyExists",
            ApiError::Invalid { .. } => "Invalid",
            ApiError::NamespaceTerminating { .. } => "Forbidden",
            ApiError::BadRequest(_) => "BadRequest",
            ApiError::SpaceExceeded => "",
        }
    }

    /// The status message (`daemonsets.apps "x" not found`).
    pub fn message(&self) -> String {
        match self {
            ApiError::NotFound { kind, name } => {
                format!("{} \"{}\" not found", kind.resource_with_group(), name)
            }
            ApiError::AlreadyExists { kind, name } => {
                format!("{} \"{}\" already exists", kind.resource_with_group(), name)
            }
            ApiError::Invalid { kind, name, causes } => {
                let list: Vec<String> = causes
                    .iter()
                    .map(|c| format!("{}: {}", c.field, c.body))
                    .collect();
                format!(
                    "{} \"{}\" is invalid: [{}]",
                    kind.name(),
                    name,
                    list.join(", ")
                )
            }
            ApiError::NamespaceTerminating {
                kind,
                name,
                namespace,
            } => format!(
                "{} \"{}\" is forbidden: unable to create new content in namespace {} because it is being terminated",
                kind.resource_with_group(),
                name,
                namespace
            ),
            ApiError::BadRequest(m) => m.clone(),
            ApiError::SpaceExceeded => "etcdserver: mvcc: database space exceeded".to_string(),
        }
    }

    /// kubectl's rendering of an `Invalid` error (one cause on one line, several as a list).
    fn invalid_text(kind: Kind, name: &str, causes: &[FieldError]) -> String {
        let mut seen: Vec<String> = Vec::new();
        for c in causes {
            let line = format!("{}: {}", c.field, c.body);
            if !seen.contains(&line) {
                seen.push(line);
            }
        }
        if seen.len() == 1 {
            format!("The {} \"{}\" is invalid: {}", kind.name(), name, seen[0])
        } else {
            let mut s = format!("The {} \"{}\" is invalid: ", kind.name(), name);
            for line in seen {
                s.push_str("\n* ");
                s.push_str(&line);
            }
            s
        }
    }

    /// The whole line kubectl prints, with `context` (e.g. `error when creating "STDIN"`)
    /// spliced in where kubectl puts it.
    pub fn kubectl_text(&self, context: Option<&str>) -> String {
        match self {
            ApiError::Invalid { kind, name, causes } => Self::invalid_text(*kind, name, causes),
            ApiError::SpaceExceeded => match context {
                Some(ctx) => format!("Error from server: {ctx}: {}", self.message()),
                None => format!("Error from server: {}", self.message()),
            },
            _ => match context {
                Some(ctx) => format!(
                    "Error from server ({}): {}: {}",
                    self.reason(),
                    ctx,
                    self.message()
                ),
                None => format!("Error from server ({}): {}", self.reason(), self.message()),
            },
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kubectl_text(None))
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_names_the_grouped_resource() {
        let e = ApiError::NotFound {
            kind: Kind::DaemonSet,
            name: "fluentd".into(),
        };
        assert_eq!(
            e.to_string(),
            "Error from server (NotFound): daemonsets.apps \"fluentd\" not found"
        );
    }

    #[test]
    fn context_goes_after_the_reason() {
        let e = ApiError::NotFound {
            kind: Kind::Namespace,
            name: "dev-system".into(),
        };
        assert_eq!(
            e.kubectl_text(Some("error when creating \"STDIN\"")),
            "Error from server (NotFound): error when creating \"STDIN\": namespaces \"dev-system\" not found"
        );
    }

    #[test]
    fn invalid_lists_several_causes() {
        let e = ApiError::Invalid {
            kind: Kind::DaemonSet,
            name: "d".into(),
            causes: vec![
                FieldError {
                    field: "a".into(),
                    body: "Required value".into(),
                },
                FieldError {
                    field: "b".into(),
                    body: "Required value".into(),
                },
            ],
        };
        assert_eq!(
            e.to_string(),
            "The DaemonSet \"d\" is invalid: \n* a: Required value\n* b: Required value"
        );
    }
}
