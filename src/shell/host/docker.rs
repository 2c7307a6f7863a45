//! `docker images [REPO[:TAG]]` over the host's Docker cache, as Docker 20.10 prints it;
//! every other docker command says it is not simulated.

use super::super::{Output, Shell};
use super::kind::split;
use crate::engine::Cluster;
use crate::tabwriter::{self, Settings};

/// Docker's table writer: columns padded by 3, at least 10 wide.
const TABLE: Settings = Settings {
    min_width: 10,
    padding: 3,
};

pub(crate) fn docker(sh: &mut Shell, args: &[String], cluster: &mut Cluster) -> Output {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["images", rest @ ..] | ["image", "ls", rest @ ..] if rest.len() <= 1 => {
            images(sh, rest.first().copied(), cluster.now().as_secs())
        }
        [] => Output::ok(
            "Usage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nThe tutor simulates: docker images [REPOSITORY[:TAG]]\n",
        ),
        _ => Output::err(
            format!(
                "kubetutor: \"docker {}\" is not simulated; the tutor's docker lists the host's images (docker images [REPOSITORY[:TAG]])\n",
                args.join(" ")
            ),
            1,
        ),
    }
}

fn images(sh: &Shell, filter: Option<&str>, now_secs: i64) -> Output {
    let wanted = filter.map(|f| {
        if f.contains(':') {
            let (repo, tag) = split(f);
            (repo.to_string(), Some(tag.to_string()))
        } else {
            (f.to_string(), None)
        }
    });
    let mut text = String::from("REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\n");
    let mut rows: Vec<_> = sh
        .host
        .docker_images
        .iter()
        .filter(|i| {
            wanted.as_ref().is_none_or(|(repo, tag)| {
                &i.repository == repo && tag.as_ref().is_none_or(|t| &i.tag == t)
            })
        })
        .collect();
    // Newest first, as the daemon lists them.
    rows.sort_by_key(|i| std::cmp::Reverse(i.created_secs));
    for i in rows {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            i.repository,
            i.tag,
            &i.id[..12.min(i.id.len())],
            human_ago(now_secs - i.created_secs),
            i.size
        ));
    }
    Output::ok(tabwriter::format(&text, TABLE))
}

/// Docker's `units.HumanDuration` + " ago".
pub(crate) fn human_ago(secs: i64) -> String {
    let secs = secs.max(0);
    let minutes = secs / 60;
    let hours = secs / 3600;
    let text = if secs < 1 {
        "Less than a second".to_string()
    } else if secs == 1 {
        "1 second".to_string()
    } else if secs < 60 {
        format!("{secs} seconds")
    } else if minutes == 1 {
        "About a minute".to_string()
    } else if minutes < 60 {
        format!("{minutes} minutes")
    } else if hours == 1 {
        "About an hour".to_string()
    } else if hours < 48 {
        format!("{hours} hours")
    } else if hours < 24 * 7 * 2 {
        format!("{} days", hours / 24)
    } else if hours < 24 * 30 * 2 {
        format!("{} weeks", hours / 24 / 7)
    } else if hours < 24 * 365 * 2 {
        format!("{} months", hours / 24 / 30)
    } else {
        format!("{} years", hours / 24 / 365)
    };
    format!("{text} ago")
}
