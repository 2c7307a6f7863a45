use crate::engine::value::json;

use super::*;

#[test]
fn documents_split_on_separator_lines_only() {
    let docs = split_documents("a: 1\n---\nb: 2\n--- \r\nc: 3\n---x\nd: 4");
    assert_eq!(docs, vec!["a: 1\n", "b: 2\n", "c: 3\n---x\nd: 4\n"]);
    assert_eq!(split_documents("---\n---\n"), Vec::<String>::new());
}

#[test]
fn yaml_1_1_scalars_resolve_as_go_yaml_v2_does() {
    let value = to_json(
        "a: yes\nb: 'yes'\nc: \"on\"\nd: 0777\ne: 1_000\nf: 1.0\ng: Off\nh: 0x_1F\ni: 1e\n",
    );
    assert_eq!(
        value,
        Ok(
            json!({"a": true, "b": "yes", "c": "on", "d": 511, "e": 1000, "f": 1, "g": false, "h": 31, "i": "1e"})
        )
    );
}

#[test]
fn later_duplicate_keys_win_and_merge_keys_merge() {
    assert_eq!(to_json("a: 1\na: 2\n"), Ok(json!({"a": 2})));
    assert_eq!(
        to_json("base: &b {x: 1}\nc:\n  <<: *b\n  z: 2\n"),
        Ok(json!({"base": {"x": 1}, "c": {"x": 1, "z": 2}}))
    );
    assert_eq!(to_json("'<<': 1\n"), Ok(json!({"<<": 1})));
}

#[test]
fn non_string_keys_become_strings() {
    assert_eq!(
        to_json("1: a\ntrue: b\n1.5: c\nn: d\n"),
        Ok(json!({"1": "a", "true": "b", "1.5": "c", "false": "d"}))
    );
}

#[test]
fn empty_and_comment_only_documents_are_null() {
    assert_eq!(to_json(""), Ok(Value::Null));
    assert_eq!(to_json("# nothing here\n"), Ok(Value::Null));
}

#[test]
fn errors_follow_go_yaml_line_rules() {
    // Scanner errors: 1-based line; none at all on the first line.
    assert_eq!(
        to_json("a: b: c\n"),
        Err("yaml: mapping values are not allowed in this context".into())
    );
    assert_eq!(
        to_json("a: 1\nb: c: d\n"),
        Err("yaml: line 2: mapping values are not allowed in this context".into())
    );
    // Parser errors: go-yaml prints the 0-based line of the problem.
    assert_eq!(
        to_json("a:\n  - b\n - c\n"),
        Err("yaml: line 2: did not find expected key".into())
    );
    assert_eq!(
        to_json("a: *nope\n"),
        Err("yaml: unknown anchor 'nope' referenced".into())
    );
    assert_eq!(
        to_json("a: .nan\n"),
        Err("json: unsupported value: NaN".into())
    );
    assert_eq!(
        to_json("a: -.inf\n"),
        Err("json: unsupported value: -Inf".into())
    );
    assert_eq!(
        to_json("[a]: 1\n"),
        Err("yaml: invalid map key: []interface {}{\"a\"}".into())
    );
}

#[test]
fn local_tags_are_ignored() {
    assert_eq!(to_json("a: !foo {b: c}\n"), Ok(json!({"a": {"b": "c"}})));
}

#[test]
fn go_integer_parsing_follows_strconv_base_zero() {
    assert_eq!(go_parse_int("-0b101"), Some(-5));
    assert_eq!(go_parse_int("+0o17"), Some(15));
    assert_eq!(go_parse_int("0"), Some(0));
    assert_eq!(go_parse_int("09"), None);
    assert_eq!(go_parse_int("-9223372036854775808"), Some(i64::MIN));
    assert_eq!(go_parse_uint("18446744073709551615"), Some(u64::MAX));
    assert!(is_yaml_float("-1.5e+3"));
    assert!(is_yaml_float(".5"));
    assert!(!is_yaml_float("1e"));
    assert!(!is_yaml_float("."));
}
