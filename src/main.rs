//! The `kubetutor` binary: parse arguments, pick the mode, call the library.

fn main() {
    println!("kubetutor");
}
