//! `resourceFieldRef` values as the kubelet computes them (`pkg/api/v1/resource`
//! `ExtractContainerResourceValue`): a container's CPU or memory request or limit divided
//! by the `divisor` and rounded up; a limit the container does not set is the node's
//! allocatable amount (every simulated node has KinD's 2 CPUs and 3969648Ki).

use crate::engine::value::Value;

use crate::engine::objects::meta;

/// The allocatable CPU and memory of every simulated node (bootstrap's node capacity).
const NODE_CPU: &str = "2";
const NODE_MEMORY: &str = "3969648Ki";

/// A resource quantity (`100m`, `64Mi`, `1.5`, `129e6`) as a number of units; `None` when
/// it is not one.
pub fn parse_quantity(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let n: f64 = number.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        s if s.starts_with(['e', 'E']) => 10f64.powi(s[1..].parse().ok()?),
        _ => return None,
    };
    Some(n * factor)
}

/// The value of a container's `resourceFieldRef` (`resource`, optional `divisor`).
pub fn resource_field_value(container: &Value, reference: &Value) -> String {
    let resource = meta::str_at(reference, &["resource"]);
    let Some((class, name)) = resource.split_once('.') else {
        return String::new();
    };
    let divisor = reference
        .get("divisor")
        .and_then(|d| match d {
            Value::String(s) => parse_quantity(s),
            Value::Number(n) => n.as_f64(),
            _ => None,
        })
        .filter(|d| *d > 0.0)
        .unwrap_or(1.0);
    let set = meta::at(container, &["resources", class, name]).and_then(|v| match v {
        Value::String(s) => parse_quantity(s),
        Value::Number(n) => n.as_f64(),
        _ => None,
    });
    let amount = match (set, class, name) {
        (Some(v), _, _) => v,
        (None, "limits", "cpu") => parse_quantity(NODE_CPU).unwrap_or(0.0),
        (None, "limits", "memory") => parse_quantity(NODE_MEMORY).unwrap_or(0.0),
        (None, _, _) => 0.0,
    };
    // Rounded up, as `convertResourceCPUToString` and `convertResourceMemoryToString` do;
    // a tiny epsilon keeps 0.1/0.001 from rounding to 101.
    let units = (amount / divisor - 1e-9).ceil().max(0.0);
    format!("{units}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::json;

    #[test]
    fn quantities_parse_with_decimal_and_binary_suffixes() {
        assert_eq!(parse_quantity("100m"), Some(0.1));
        assert_eq!(parse_quantity("64Mi"), Some(67108864.0));
        assert_eq!(parse_quantity("129e6"), Some(129e6));
        assert_eq!(parse_quantity("1x"), None);
    }

    #[test]
    fn values_round_up_by_the_divisor_and_default_limits_to_the_node() {
        let c = json!({"resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}});
        let r = |res: &str, div: Option<&str>| {
            let mut reference = json!({"resource": res});
            if let Some(d) = div {
                reference["divisor"] = json!(d);
            }
            resource_field_value(&c, &reference)
        };
        assert_eq!(r("requests.cpu", None), "1");
        assert_eq!(r("requests.cpu", Some("1m")), "250");
        assert_eq!(r("requests.memory", Some("1Mi")), "64");
        assert_eq!(r("limits.cpu", None), "2");
        assert_eq!(r("limits.memory", None), "4064919552");
    }
}
