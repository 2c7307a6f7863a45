//! `kubectl rollout status`: the status viewers of kubectl v1.21
//! (`polymorphichelpers/rollout_status.go`) and the watch loop, which advances simulated
//! time from one cluster activity to the next and prints each new progress line once.
//!
//! Must not import: the terminal, std::fs, std::process.

use std::time::Duration;

use crate::engine::value::Value;

use super::flags::{boolean, value};
use super::rollout::{group_kind, int_flag, objects, parse_flags, text};
use super::{Ctx, Io, messages, rollout_history};
use crate::engine::objects::{Kind, meta};

/// How long `status` waits without `--timeout` before the tutor stops (kubectl would wait
/// for ever; a Deployment's default progress deadline is 600s).
const WAIT_LIMIT: Duration = Duration::from_secs(600);

pub(super) fn status(ctx: &mut Ctx<'_>, args: &[String], io: &mut Io) {
    let extra = [
        boolean("watch", Some('w')),
        value("revision", None),
        value("timeout", None),
    ];
    let Some(p) = parse_flags(args, "status", &extra, io) else {
        return;
    };
    let Some(revision) = int_flag(&p, "revision", "status", io) else {
        return;
    };
    let timeout = match p.value("timeout").map(parse_go_duration).transpose() {
        Ok(t) => t.unwrap_or_default(),
        Err(e) => {
            let v = p.value("timeout").unwrap_or_default();
            return io.fail(messages::flag_error(
                "kubectl rollout status",
                &format!("invalid argument {v:?} for \"--timeout\" flag: {e}"),
            ));
        }
    };
    if p.args.is_empty() && p.values("filename").is_empty() {
        return io.fail(text::REQUIRED);
    }
    if revision < 0 {
        return io.fail(format!(
            "error: revision must be a positive integer: {revision}\n"
        ));
    }
    let Some(found) = objects(ctx, &p, io) else {
        return;
    };
    let [(target, _)] = found.as_slice() else {
        return io.fail(format!(
            "error: rollout status is only supported on individual resources and resource collections - {} resources were found\n",
            found.len()
        ));
    };
    if !matches!(target.kind, Kind::DaemonSet | Kind::Deployment) {
        return io.fail(format!(
            "error: no status viewer has been implemented for {}\n",
            group_kind(target.kind)
        ));
    }
    let watch = !p.given("watch") || p.flag("watch");
    let deadline = (!timeout.is_zero()).then(|| ctx.cluster.now() + timeout);
    let give_up = ctx.cluster.now() + WAIT_LIMIT;
    let mut last = String::new();
    loop {
        let Some(obj) = ctx
            .cluster
            .get(target.kind, &target.namespace, &target.name)
        else {
            return io.fail(text::DELETED);
        };
        let (line, done) = match rollout_status(target.kind, obj, revision) {
            Ok(s) => s,
            Err(e) => return io.fail(format!("error: {e}\n")),
        };
        if line != last {
            io.out.push_str(&line);
            last = line;
        }
        if done || !watch {
            return;
        }
        let now = ctx.cluster.now();
        let next = ctx.cluster.next_activity();
        if let Some(d) = deadline
            && next.is_none_or(|at| at > d)
        {
            ctx.cluster
                .advance(Duration::from_millis((d.0 - now.0).max(0) as u64));
            return io.fail(text::TIMED_OUT);
        }
        match next {
            Some(at) if at <= give_up || deadline.is_some() => {
                ctx.cluster
                    .advance(Duration::from_millis((at.0 - now.0).max(0) as u64));
            }
            _ => return io.fail(text::STUCK),
        }
    }
}

/// The status viewers of `polymorphichelpers/rollout_status.go`: the progress line and
/// whether the rollout is done.
pub fn rollout_status(kind: Kind, obj: &Value, revision: i64) -> Result<(String, bool), String> {
    let name = meta::name(obj);
    let generation = meta::i64_at(obj, &["metadata", "generation"]).unwrap_or(0);
    let observed = meta::i64_at(obj, &["status", "observedGeneration"]).unwrap_or(0);
    let st = |k: &str| meta::i64_at(obj, &["status", k]).unwrap_or(0);
    match kind {
        Kind::DaemonSet => {
            let strategy = meta::str_at(obj, &["spec", "updateStrategy", "type"]);
            if strategy != "RollingUpdate" {
                return Err(
                    "rollout status is only available for RollingUpdate strategy type".into(),
                );
            }
            if generation > observed {
                return Ok((
                    "Waiting for daemon set spec update to be observed...\n".into(),
                    false,
                ));
            }
            let desired = st("desiredNumberScheduled");
            let updated = st("updatedNumberScheduled");
            let available = st("numberAvailable");
            if updated < desired {
                return Ok((
                    format!(
                        "Waiting for daemon set {name:?} rollout to finish: {updated} out of {desired} new pods have been updated...\n"
                    ),
                    false,
                ));
            }
            if available < desired {
                return Ok((
                    format!(
                        "Waiting for daemon set {name:?} rollout to finish: {available} of {desired} updated pods are available...\n"
                    ),
                    false,
                ));
            }
            Ok((
                format!("daemon set {name:?} successfully rolled out\n"),
                true,
            ))
        }
        _ => {
            if revision > 0 {
                let running: i64 = meta::annotation(obj, rollout_history::REVISION)
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(0);
                if running != revision {
                    return Err(format!(
                        "desired revision ({revision}) is different from the running revision ({running})"
                    ));
                }
            }
            if generation > observed {
                return Ok((
                    "Waiting for deployment spec update to be observed...\n".into(),
                    false,
                ));
            }
            let progressing = meta::at(obj, &["status", "conditions"])
                .and_then(Value::as_array)
                .and_then(|cs| {
                    cs.iter()
                        .find(|c| meta::str_at(c, &["type"]) == "Progressing")
                });
            if progressing
                .is_some_and(|c| meta::str_at(c, &["reason"]) == "ProgressDeadlineExceeded")
            {
                return Err(format!(
                    "deployment {name:?} exceeded its progress deadline"
                ));
            }
            let want = meta::i64_at(obj, &["spec", "replicas"]).unwrap_or(1);
            let updated = st("updatedReplicas");
            let replicas = st("replicas");
            let available = st("availableReplicas");
            if updated < want {
                return Ok((
                    format!(
                        "Waiting for deployment {name:?} rollout to finish: {updated} out of {want} new replicas have been updated...\n"
                    ),
                    false,
                ));
            }
            if replicas > updated {
                return Ok((
                    format!(
                        "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...\n",
                        replicas - updated
                    ),
                    false,
                ));
            }
            if available < updated {
                return Ok((
                    format!(
                        "Waiting for deployment {name:?} rollout to finish: {available} of {updated} updated replicas are available...\n"
                    ),
                    false,
                ));
            }
            Ok((
                format!("deployment {name:?} successfully rolled out\n"),
                true,
            ))
        }
    }
}

/// Go's `time.ParseDuration` for the units a learner types (`ns`..`h`), with its errors.
pub fn parse_go_duration(s: &str) -> Result<Duration, String> {
    let invalid = || format!("time: invalid duration {s:?}");
    let body = s.strip_prefix('+').unwrap_or(s);
    if body.starts_with('-') {
        return if body == "-0" {
            Ok(Duration::ZERO)
        } else {
            Err(invalid())
        };
    }
    if body == "0" {
        return Ok(Duration::ZERO);
    }
    if body.is_empty() {
        return Err(invalid());
    }
    let mut total_ns: f64 = 0.0;
    let mut rest = body;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, after) = rest.split_at(num_len);
        if num.is_empty() || num == "." {
            return Err(invalid());
        }
        let n: f64 = num.parse().map_err(|_| invalid())?;
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        let scale = match unit {
            "" => return Err(format!("time: missing unit in duration {s:?}")),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err(format!("time: unknown unit {unit:?} in duration {s:?}")),
        };
        total_ns += n * scale;
        rest = next;
    }
    Ok(Duration::from_nanos(total_ns as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::json;

    #[test]
    fn go_durations_parse_as_time_parse_duration_does() {
        assert_eq!(parse_go_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_go_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_go_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_go_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(
            parse_go_duration("5"),
            Err("time: missing unit in duration \"5\"".into())
        );
        assert_eq!(
            parse_go_duration("5x"),
            Err("time: unknown unit \"x\" in duration \"5x\"".into())
        );
        assert_eq!(
            parse_go_duration("abc"),
            Err("time: invalid duration \"abc\"".into())
        );
    }

    #[test]
    fn daemonset_status_lines_follow_the_counts() {
        let ds = json!({
            "metadata": {"name": "d", "generation": 2},
            "spec": {"updateStrategy": {"type": "RollingUpdate"}},
            "status": {"observedGeneration": 2, "desiredNumberScheduled": 3,
                       "updatedNumberScheduled": 1, "numberAvailable": 2},
        });
        assert_eq!(
            rollout_status(Kind::DaemonSet, &ds, 0),
            Ok((
                "Waiting for daemon set \"d\" rollout to finish: 1 out of 3 new pods have been updated...\n".into(),
                false
            ))
        );
        let mut on_delete = ds.clone();
        on_delete["spec"]["updateStrategy"]["type"] = json!("OnDelete");
        assert!(rollout_status(Kind::DaemonSet, &on_delete, 0).is_err());
        let mut stale = ds;
        stale["metadata"]["generation"] = json!(3);
        assert_eq!(
            rollout_status(Kind::DaemonSet, &stale, 0).map(|s| s.0),
            Ok("Waiting for daemon set spec update to be observed...\n".into())
        );
    }

    #[test]
    fn deployment_status_reports_old_replicas_then_availability() {
        let d = json!({
            "metadata": {"name": "x", "generation": 1,
                         "annotations": {"deployment.kubernetes.io/revision": "2"}},
            "spec": {"replicas": 3},
            "status": {"observedGeneration": 1, "replicas": 4, "updatedReplicas": 3,
                       "availableReplicas": 2},
        });
        assert_eq!(
            rollout_status(Kind::Deployment, &d, 0).map(|s| s.0),
            Ok("Waiting for deployment \"x\" rollout to finish: 1 old replicas are pending termination...\n".into())
        );
        assert_eq!(
            rollout_status(Kind::Deployment, &d, 1),
            Err("desired revision (1) is different from the running revision (2)".into())
        );
    }
}
