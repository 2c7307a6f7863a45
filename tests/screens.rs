//! Screen snapshots of the tutor (ratatui's TestBackend, insta), driven through the
//! Harness: keys pressed, lines typed, simulated time advanced; no sleeps, no real clock.

use kubetutor::tui::harness::Harness;

#[test]
fn peek() {
    let mut h = Harness::new(100, 30);
    println!("{}", h.screen());
    h.type_line("kubectl get nodes -o wide");
    println!("{}", h.screen());
    let mut h = Harness::new(80, 24);
    println!("{}", h.screen());
}
