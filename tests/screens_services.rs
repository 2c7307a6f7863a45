//! Screen snapshots of the cluster map showing Services: one line per learner Service under
//! the nodes, naming its cluster IP and the pods its Endpoints list as ready (by their name's
//! suffix, as the pod chips show them), without crowding the 80x24 layout.

use kubetutor::tui::harness::Harness;

fn with_demo_service(h: &mut Harness) {
    h.type_line("kubectl create deployment demo --image demo:1.0.0 --replicas 2");
    h.type_line("printf 'apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: demo\\nspec:\\n  selector:\\n    app: demo\\n  ports:\\n  - port: 80\\n' | kubectl apply -f -");
    h.advance(10);
}

#[test]
fn the_map_names_a_services_endpoint_pods_at_80x24() {
    let mut h = Harness::new(80, 24);
    with_demo_service(&mut h);
    h.press("F4");
    let screen = h.screen();
    assert!(screen.contains("svc/demo 10.96."), "{screen}");
    assert!(screen.contains("→ 2 pods: "), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_map_names_a_services_endpoint_pods_at_120x40() {
    let mut h = Harness::new(120, 40);
    with_demo_service(&mut h);
    h.type_line("kubectl scale deployment demo --replicas 0");
    h.advance(40);
    let screen = h.screen();
    assert!(screen.contains("svc/demo 10.96."), "{screen}");
    assert!(screen.contains("→ no ready pods"), "{screen}");
    insta::assert_snapshot!(screen);
}
