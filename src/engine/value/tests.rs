use super::{Map, Value, json};

#[test]
fn serializing_writes_what_serde_json_wrote() {
    let text = r#"{"z":1,"a":[true,null,2.5,-3,"x"],"m":{"b":{},"a":[]},"s":"ü\n\"long text beyond inline size\""}"#;
    let ours: Value = serde_json::from_str(text).unwrap_or_default();
    let theirs: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    assert_eq!(
        serde_json::to_string(&ours).ok(),
        serde_json::to_string(&theirs).ok()
    );
    assert_eq!(
        serde_json::to_string_pretty(&ours).ok(),
        serde_json::to_string_pretty(&theirs).ok()
    );
    assert_eq!(ours.to_string(), theirs.to_string());
    assert_eq!(format!("{ours:#}"), format!("{theirs:#}"));
    assert_eq!(serde_json::Value::from(&ours), theirs);
}

#[test]
fn reads_and_writes_follow_serde_json() {
    let mut v = json!({"metadata": {"labels": {"app": "x"}}, "items": [1, 2]});
    assert_eq!(v["metadata"]["labels"]["app"], "x");
    assert_eq!(v.pointer("/metadata/labels/app"), Some(&json!("x")));
    assert_eq!(v.pointer("/items/1"), Some(&json!(2)));
    assert!(v["nothing"]["deeper"].is_null());
    assert_eq!(v.get("items").and_then(|i| i.get(0)), Some(&json!(1)));
    v["metadata"]["annotations"]["k"] = json!("v");
    assert_eq!(v["metadata"]["annotations"], json!({"k": "v"}));
    *v.pointer_mut("/items/0").unwrap_or(&mut Value::Null) = json!(7);
    assert_eq!(v["items"], json!([7, 2]));
    let m: Map = [("k", 1)].into_iter().collect();
    assert_eq!(Value::Object(m), json!({"k": 1}));
    assert_eq!(json!(1.0).as_f64(), Some(1.0));
    assert_eq!(json!(u64::MAX).as_u64(), Some(u64::MAX));
}

#[test]
fn parse_errors_keep_serde_jsons_words() {
    let ours = serde_json::from_str::<Value>("{\"a\": }")
        .err()
        .map(|e| e.to_string());
    let theirs = serde_json::from_str::<serde_json::Value>("{\"a\": }")
        .err()
        .map(|e| e.to_string());
    assert_eq!(ours, theirs);
}

#[test]
fn json_macro_builds_what_serde_json_builds() {
    // Each case written twice, once per macro, and compared as serde_json values.
    macro_rules! both {
        ($($json:tt)+) => {
            assert_eq!(
                serde_json::Value::from(&json!($($json)+)),
                serde_json::json!($($json)+)
            )
        };
    }
    let name = "demo";
    let owned = String::from("a value longer than twenty-two bytes");
    let count: u64 = 7;
    let maybe: Option<&str> = None;
    let listed: std::collections::BTreeMap<&str, Vec<i32>> =
        [("b", vec![1, 2]), ("a", vec![])].into_iter().collect();
    let inner = json!({"kept": [true]});
    both!(null);
    both!(-1);
    both!(2.5);
    both!([]);
    both!({});
    both!([1, -2, "x", null, [], {},]);
    both!({"name": name, "count": count + 1, "owned": owned, "maybe": maybe,});
    both!({"nested": {"deeper": [{"a": 1}, {"b": [2, 3]}]}, "sum": i64::from(3) - 5});
    both!({"call": format!("{}-{}", name, 1), "max": std::cmp::max(1, 2)});
    both!({"listed": listed, "ratio": 1.0 / 4.0, "flag": !cfg!(test)});
    both!({"dup": 1, "dup": 2});
    both!({(name): 1, "other": name});
    assert_eq!(json!({"inner": inner.clone()})["inner"], inner);
    assert_eq!(json!({"inner": &inner})["inner"], inner);
}
