//! Command-line flags as pflag parses them: `--flag value`, `--flag=value`, `-f value`,
//! `-fvalue`, grouped short booleans, flags anywhere among the arguments, `--` ends flags.
//! Errors carry pflag's own words.

use std::collections::BTreeMap;

/// Whether a flag takes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    Bool,
    Value,
}

/// One flag a command accepts.
#[derive(Clone, Copy, Debug)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub arity: Arity,
}

pub const fn value(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        arity: Arity::Value,
    }
}

pub const fn boolean(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        arity: Arity::Bool,
    }
}

/// Flags every kubectl command accepts.
pub const GLOBAL: &[Flag] = &[
    value("namespace", Some('n')),
    value("context", None),
    value("cluster", None),
    value("user", None),
    value("kubeconfig", None),
    value("server", Some('s')),
    value("request-timeout", None),
    value("v", Some('v')),
    value("token", None),
    value("as", None),
    value("cache-dir", None),
    value("tls-server-name", None),
    boolean("insecure-skip-tls-verify", None),
    boolean("match-server-version", None),
    boolean("warnings-as-errors", None),
];

/// The parsed command line.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub args: Vec<String>,
    values: BTreeMap<&'static str, Vec<String>>,
    bools: BTreeMap<&'static str, bool>,
}

impl Parsed {
    /// The last value given for a flag.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// Every value given for a repeatable flag, split on commas where pflag's string
    /// slices would split.
    pub fn values(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }

    pub fn flag(&self, long: &str) -> bool {
        self.bools.get(long).copied().unwrap_or(false)
    }

    /// Whether a flag appeared at all.
    pub fn given(&self, long: &str) -> bool {
        self.values.contains_key(long) || self.bools.contains_key(long)
    }
}

/// Splits `args` into positionals and flags from `specs` (plus [`GLOBAL`]).
pub fn parse(args: &[String], specs: &[Flag]) -> Result<Parsed, String> {
    let find_long = |name: &str| specs.iter().chain(GLOBAL).find(|f| f.long == name).copied();
    let find_short = |c: char| {
        specs
            .iter()
            .chain(GLOBAL)
            .find(|f| f.short == Some(c))
            .copied()
    };
    let mut out = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            out.args.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(rest) = arg.strip_prefix("--") {
            let (name, inline) = match rest.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (rest, None),
            };
            let Some(flag) = find_long(name) else {
                return Err(format!("unknown flag: --{name}"));
            };
            match flag.arity {
                Arity::Bool => {
                    let v = match inline {
                        Some(v) => parse_bool(&v, &format!("--{name}"))?,
                        None => true,
                    };
                    out.bools.insert(flag.long, v);
                }
                Arity::Value => {
                    let v = match inline {
                        Some(v) => v,
                        None => {
                            let Some(v) = args.get(i) else {
                                return Err(format!("flag needs an argument: --{name}"));
                            };
                            i += 1;
                            v.clone()
                        }
                    };
                    out.values.entry(flag.long).or_default().push(v);
                }
            }
        } else if arg.len() > 1 && arg.starts_with('-') {
            let chars: Vec<char> = arg[1..].chars().collect();
            let mut k = 0;
            while k < chars.len() {
                let c = chars[k];
                let Some(flag) = find_short(c) else {
                    return Err(format!("unknown shorthand flag: '{c}' in {arg}"));
                };
                match flag.arity {
                    Arity::Bool => {
                        if chars.get(k + 1) == Some(&'=') {
                            let v: String = chars[k + 2..].iter().collect();
                            out.bools
                                .insert(flag.long, parse_bool(&v, &format!("-{c}"))?);
                            break;
                        }
                        out.bools.insert(flag.long, true);
                        k += 1;
                    }
                    Arity::Value => {
                        let rest: String = chars[k + 1..].iter().collect();
                        let v = if !rest.is_empty() {
                            rest.strip_prefix('=').map(str::to_string).unwrap_or(rest)
                        } else {
                            let Some(v) = args.get(i) else {
                                return Err(format!("flag needs an argument: '{c}' in -{c}"));
                            };
                            i += 1;
                            v.clone()
                        };
                        out.values.entry(flag.long).or_default().push(v);
                        break;
                    }
                }
            }
        } else {
            out.args.push(arg.clone());
        }
    }
    Ok(out)
}

fn parse_bool(v: &str, flag: &str) -> Result<bool, String> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
        _ => Err(format!(
            "invalid argument \"{v}\" for \"{flag}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"
        )),
    }
}

/// The index of the subcommand among `args`: the first word that is not a global flag or
/// a global flag's value.
pub fn find_verb(args: &[String]) -> Option<usize> {
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            return None;
        }
        if let Some(rest) = a.strip_prefix("--") {
            let takes_value = !rest.contains('=')
                && GLOBAL
                    .iter()
                    .any(|f| f.long == rest && f.arity == Arity::Value);
            i += if takes_value { 2 } else { 1 };
        } else if a.len() > 1 && a.starts_with('-') {
            let c = a[1..].chars().next();
            let takes_value = a.chars().count() == 2
                && GLOBAL
                    .iter()
                    .any(|f| f.short == c && f.arity == Arity::Value);
            i += if takes_value { 2 } else { 1 };
        } else {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| a.to_string()).collect()
    }

    const GET: &[Flag] = &[
        value("output", Some('o')),
        boolean("all-namespaces", Some('A')),
        value("selector", Some('l')),
    ];

    #[test]
    fn flags_go_anywhere_and_in_every_spelling() {
        let p = parse(
            &s(&["pods", "-n", "dev", "-owide", "--selector=app=x", "-A"]),
            GET,
        )
        .unwrap();
        assert_eq!(p.args, vec!["pods"]);
        assert_eq!(p.value("namespace"), Some("dev"));
        assert_eq!(p.value("output"), Some("wide"));
        assert_eq!(p.value("selector"), Some("app=x"));
        assert!(p.flag("all-namespaces"));
    }

    #[test]
    fn unknown_flags_use_pflag_words() {
        assert_eq!(
            parse(&s(&["--foo"]), GET).unwrap_err(),
            "unknown flag: --foo"
        );
        assert_eq!(
            parse(&s(&["-x"]), GET).unwrap_err(),
            "unknown shorthand flag: 'x' in -x"
        );
        assert_eq!(
            parse(&s(&["-o"]), GET).unwrap_err(),
            "flag needs an argument: 'o' in -o"
        );
    }

    #[test]
    fn verb_is_found_after_global_flags() {
        assert_eq!(find_verb(&s(&["-n", "dev-system", "get", "ds"])), Some(2));
        assert_eq!(find_verb(&s(&["--namespace=x", "get"])), Some(1));
        assert_eq!(find_verb(&s(&["get"])), Some(0));
    }
}
