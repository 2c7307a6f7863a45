//! Any jsonpath template, parsed and run on a node and on a List.
#![no_main]

use kubetutor::api::jsonpath::Template;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(t) = Template::parse(&text) {
        let node = serde_json::json!({
            "kind": "Node", "metadata": {"name": "kind-worker3", "labels": {"kubernetes.io/hostname": "kind-worker3"}},
            "spec": {"taints": [{"effect": "NoExecute", "key": "VIPOnly", "value": "true"}]},
            "status": {"addresses": [{"type": "InternalIP", "address": "172.18.0.3"}], "capacity": {"cpu": "2"}}
        });
        let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": [node.clone(), node.clone()]});
        let _ = t.execute(&node);
        let _ = t.execute_as_json(&list);
    }
});
