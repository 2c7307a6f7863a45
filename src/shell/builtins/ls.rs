//! `ls`: list directories (names sorted bytewise, as with `LC_ALL=C`), in columns on the
//! terminal, one per line into a pipe, or long format with `-l`.

use super::{Call, getopt};
use crate::engine::SimTime;
use crate::shell::vfs::{HOME, Meta};
use crate::shell::{Output, Shell};

/// Terminal width the column layout assumes (the TUI's shell pane is at least this wide).
const TERMINAL_COLUMNS: usize = 80;
/// GNU ls shows the year instead of the time for files older than about six months.
const SIX_MONTHS_SECS: i64 = 15_778_476;

/// `ls [-la1dA] [PATH...]`.
pub(crate) fn ls(sh: &mut Shell, call: &mut Call<'_>) -> Output {
    let opts = match getopt("ls", call.args, "laA1d") {
        Ok(opts) => opts,
        Err(message) => return Output::err(message, 2),
    };
    let now_secs = call.cluster.now().as_secs();
    let layout = if opts.has('l') {
        Layout::Long
    } else if call.to_terminal && !opts.has('1') {
        Layout::Columns
    } else {
        Layout::Lines
    };
    let mut operands = opts.operands.clone();
    if operands.is_empty() {
        operands.push(".".to_string());
    }
    operands.sort();
    let mut out = Output::default();
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for name in &operands {
        match sh.vfs.meta(&sh.cwd, name) {
            None => {
                out.stderr.push_str(&format!(
                    "ls: cannot access '{name}': No such file or directory\n"
                ));
                out.status = 2;
            }
            Some(meta) if meta.is_dir && !opts.has('d') => dirs.push(name.clone()),
            Some(meta) => files.push(Row {
                name: name.clone(),
                abs: sh.vfs.resolve(&sh.cwd, name),
                meta,
            }),
        }
    }
    let mut sections = Vec::new();
    if !files.is_empty() {
        sections.push(render(sh, &files, layout, now_secs, Total::Hide));
    }
    let headed = operands.len() > 1;
    for dir in &dirs {
        let rows = entries(sh, dir, opts.has('a'), opts.has('A'));
        let body = render(sh, &rows, layout, now_secs, Total::Show);
        sections.push(if headed {
            format!("{dir}:\n{body}")
        } else {
            body
        });
    }
    out.stdout = sections.join("\n");
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    Columns,
    Lines,
    Long,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Total {
    Show,
    Hide,
}

struct Row {
    name: String,
    abs: String,
    meta: Meta,
}

fn entries(sh: &Shell, dir: &str, all: bool, almost_all: bool) -> Vec<Row> {
    let abs_dir = sh.vfs.resolve(&sh.cwd, dir);
    let mut names = sh.vfs.list_dir("/", &abs_dir).unwrap_or_default();
    if all {
        names.extend([".".to_string(), "..".to_string()]);
    }
    names.retain(|n| all || almost_all || !n.starts_with('.'));
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let abs = sh.vfs.resolve(&abs_dir, &name);
            let meta = sh.vfs.meta("/", &abs)?;
            Some(Row { name, abs, meta })
        })
        .collect()
}

fn render(sh: &Shell, rows: &[Row], layout: Layout, now_secs: i64, total: Total) -> String {
    match layout {
        Layout::Lines => rows.iter().map(|r| format!("{}\n", r.name)).collect(),
        Layout::Columns => columns(rows.iter().map(|r| r.name.as_str()).collect()),
        Layout::Long => long(sh, rows, now_secs, total),
    }
}

/// GNU ls's default layout: as many columns as fit, filled top to bottom.
fn columns(names: Vec<&str>) -> String {
    if names.is_empty() {
        return String::new();
    }
    let widths: Vec<usize> = names.iter().map(|n| n.chars().count()).collect();
    for cols in (1..=names.len()).rev() {
        let rows = names.len().div_ceil(cols);
        let col_widths: Vec<usize> = (0..cols)
            .map(|c| {
                widths
                    .iter()
                    .skip(c * rows)
                    .take(rows)
                    .copied()
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line_width: usize = col_widths.iter().sum::<usize>() + 2 * (cols - 1);
        if line_width > TERMINAL_COLUMNS && cols > 1 {
            continue;
        }
        let mut out = String::new();
        for r in 0..rows {
            let cells: Vec<(usize, &str)> = (0..cols)
                .filter_map(|c| names.get(c * rows + r).map(|n| (c, *n)))
                .collect();
            for (i, (c, name)) in cells.iter().enumerate() {
                out.push_str(name);
                if i + 1 < cells.len() {
                    let pad = col_widths[*c] - name.chars().count() + 2;
                    out.push_str(&" ".repeat(pad));
                }
            }
            out.push('\n');
        }
        return out;
    }
    String::new()
}

fn long(sh: &Shell, rows: &[Row], now_secs: i64, total: Total) -> String {
    let links = |row: &Row| -> usize {
        if row.meta.is_dir {
            2 + sh
                .vfs
                .list_dir("/", &row.abs)
                .unwrap_or_default()
                .iter()
                .filter(|n| sh.vfs.is_dir(&row.abs, n))
                .count()
        } else {
            1
        }
    };
    let link_counts: Vec<usize> = rows.iter().map(links).collect();
    let link_width = link_counts
        .iter()
        .map(|n| n.to_string().len())
        .max()
        .unwrap_or(1);
    let size_width = rows
        .iter()
        .map(|r| r.meta.size_bytes.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    if total == Total::Show {
        let blocks: usize = rows
            .iter()
            .map(|r| {
                if r.meta.is_dir {
                    4
                } else {
                    r.meta.size_bytes.div_ceil(4096) * 4
                }
            })
            .sum();
        out.push_str(&format!("total {blocks}\n"));
    }
    for (row, link_count) in rows.iter().zip(link_counts) {
        let perms = crate::shell::host::perms(row.meta.is_dir, row.meta.mode);
        let owner = if row.abs == HOME || row.abs.starts_with(&format!("{HOME}/")) {
            "learner"
        } else {
            "root"
        };
        out.push_str(&format!(
            "{perms} {link_count:>link_width$} {owner} {owner} {:>size_width$} {} {}\n",
            row.meta.size_bytes,
            timestamp(row.meta.mtime_secs, now_secs),
            row.name
        ));
    }
    out
}

/// `Jan  5 10:00`, or `Jan  5  2021` for times far from now (GNU ls's rule).
fn timestamp(secs: i64, now_secs: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let stamp = SimTime::from_secs(secs).rfc3339();
    let field = |range: std::ops::Range<usize>| {
        stamp
            .get(range)
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(0)
    };
    let month = MONTHS
        .get(field(5..7).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    let day = field(8..10);
    if (now_secs - secs).abs() > SIX_MONTHS_SECS {
        format!("{month} {day:>2} {:>5}", field(0..4))
    } else {
        format!("{month} {day:>2} {}", stamp.get(11..16).unwrap_or("00:00"))
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::tests::{run, sh};

    #[test]
    fn ls_lists_sorted_names_one_per_line_into_pipes() {
        let mut t = sh();
        run(&mut t, "touch b a .hidden; mkdir c");
        assert_eq!(run(&mut t, "ls | cat").stdout, "a\nb\nc\n");
        assert_eq!(run(&mut t, "ls -1").stdout, "a\nb\nc\n");
        assert_eq!(
            run(&mut t, "ls -a | cat").stdout,
            ".\n..\n.hidden\na\nb\nc\n"
        );
        assert_eq!(run(&mut t, "ls").stdout, "a  b  c\n");
    }

    #[test]
    fn ls_long_format_and_sections() {
        let mut t = sh();
        run(&mut t, "echo hello > f; mkdir d; touch d/x");
        let out = run(&mut t, "ls -l");
        assert_eq!(
            out.stdout,
            "total 8\ndrwxr-xr-x 2 learner learner 4096 Jan  1 00:00 d\n-rw-r--r-- 1 learner learner    6 Jan  1 00:00 f\n"
        );
        assert_eq!(run(&mut t, "ls f d").stdout, "f\n\nd:\nx\n");
        let out = run(&mut t, "ls nope");
        assert_eq!(
            (out.stderr.as_str(), out.status),
            ("ls: cannot access 'nope': No such file or directory\n", 2)
        );
    }

    #[test]
    fn ls_lays_out_many_names_in_columns() {
        let mut t = sh();
        let names: Vec<String> = (0..30).map(|i| format!("manifest-{i:02}.yaml")).collect();
        run(&mut t, &format!("touch {}", names.join(" ")));
        let out = run(&mut t, "ls").stdout;
        assert!(out.lines().all(|l| l.len() <= 80));
        assert!(
            out.lines()
                .next()
                .unwrap_or("")
                .starts_with("manifest-00.yaml  manifest-")
        );
        assert_eq!(out.split_whitespace().count(), 30);
    }
}
