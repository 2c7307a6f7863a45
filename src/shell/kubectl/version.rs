//! `kubectl version`: the client and the KinD node's server, both v1.21.1.

use super::flags::{self, Flag, boolean, value};
use super::{Io, messages};

const FLAGS: &[Flag] = &[
    boolean("client", None),
    boolean("short", None),
    value("output", Some('o')),
];

const CLIENT: &str = "version.Info{Major:\"1\", Minor:\"21\", GitVersion:\"v1.21.1\", GitCommit:\"5e58841cce77d4bc13713ad2b91fa0d961e69192\", GitTreeState:\"clean\", BuildDate:\"2021-05-12T14:18:45Z\", GoVersion:\"go1.16.4\", Compiler:\"gc\", Platform:\"linux/amd64\"}";
const SERVER: &str = "version.Info{Major:\"1\", Minor:\"21\", GitVersion:\"v1.21.1\", GitCommit:\"5e58841cce77d4bc13713ad2b91fa0d961e69192\", GitTreeState:\"clean\", BuildDate:\"2021-05-21T23:01:33Z\", GoVersion:\"go1.16.4\", Compiler:\"gc\", Platform:\"linux/amd64\"}";

pub fn run(args: &[String], io: &mut Io) {
    let p = match flags::parse(args, FLAGS) {
        Ok(p) => p,
        Err(e) => return io.fail(messages::flag_error("kubectl version", &e)),
    };
    if let Some(extra) = p.args.first() {
        return io.fail(format!("error: unexpected arguments: [{extra}]\n"));
    }
    if p.flag("short") {
        io.out.push_str("Client Version: v1.21.1\n");
        if !p.flag("client") {
            io.out.push_str("Server Version: v1.21.1\n");
        }
        return;
    }
    io.out.push_str(&format!("Client Version: {CLIENT}\n"));
    if !p.flag("client") {
        io.out.push_str(&format!("Server Version: {SERVER}\n"));
    }
}
