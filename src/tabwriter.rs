//! Go's `text/tabwriter` (left-aligned, spaces), which kubectl uses for `get` tables
//! (minwidth 6, padding 3) and for `describe` (minwidth 0, padding 2), and the instructor's
//! report uses so its tables read like kubectl's. A pure text utility: imports nothing. Cells are
//! tab-terminated; a line's last cell is never padded; a column is aligned over each
//! contiguous block of lines that have a cell in it.

/// Tabwriter settings.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub min_width: usize,
    pub padding: usize,
}

/// `kubectl get`'s printer (cli-runtime `GetNewTabWriter`).
pub const GET: Settings = Settings {
    min_width: 6,
    padding: 3,
};
/// `kubectl describe`'s `tabbedString`.
pub const DESCRIBE: Settings = Settings {
    min_width: 0,
    padding: 2,
};

/// Formats `text` (lines of tab-separated cells) as the tabwriter would print it.
pub fn format(text: &str, settings: Settings) -> String {
    let ends_with_newline = text.ends_with('\n');
    let body = text.strip_suffix('\n').unwrap_or(text);
    let lines: Vec<Vec<&str>> = body.split('\n').map(|l| l.split('\t').collect()).collect();
    let widths: Vec<Vec<usize>> = lines
        .iter()
        .map(|cells| cells.iter().map(|c| c.chars().count()).collect())
        .collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut col_widths: Vec<usize> = Vec::new();
    format_block(
        &lines,
        &widths,
        settings,
        &mut col_widths,
        0,
        lines.len(),
        &mut out,
    );
    if !ends_with_newline && out.ends_with('\n') {
        out.pop();
    }
    out
}

fn format_block(
    lines: &[Vec<&str>],
    widths: &[Vec<usize>],
    s: Settings,
    col_widths: &mut Vec<usize>,
    mut line0: usize,
    line1: usize,
    out: &mut String,
) {
    let column = col_widths.len();
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, widths, col_widths, line0, this, out);
        line0 = this;
        let mut width = s.min_width;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(widths[this][column] + s.padding);
            this += 1;
        }
        col_widths.push(width);
        format_block(lines, widths, s, col_widths, line0, this, out);
        col_widths.pop();
        line0 = this;
    }
    write_lines(lines, widths, col_widths, line0, line1, out);
}

fn write_lines(
    lines: &[Vec<&str>],
    widths: &[Vec<usize>],
    col_widths: &[usize],
    from: usize,
    to: usize,
    out: &mut String,
) {
    for i in from..to {
        for (j, cell) in lines[i].iter().enumerate() {
            out.push_str(cell);
            if j < col_widths.len() && j + 1 < lines[i].len() {
                let pad = col_widths[j].saturating_sub(widths[i][j]);
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_columns_pad_to_widest_plus_three_and_last_is_bare() {
        let t = "NAME\tSTATUS\tAGE\nkind-control-plane\tReady\t2m32s\n";
        assert_eq!(
            format(t, GET),
            "NAME                 STATUS   AGE\nkind-control-plane   Ready    2m32s\n"
        );
    }

    #[test]
    fn min_width_six_applies() {
        assert_eq!(format("A\tB\nx\ty\n", GET), "A     B\nx     y\n");
    }

    #[test]
    fn empty_last_column_keeps_padding() {
        assert_eq!(format("NAME\tL\nab\t\n", GET), "NAME   L\nab     \n");
    }

    #[test]
    fn describe_blocks_end_at_lines_without_tabs() {
        let t = "Name:\tx\nLabels:\ta=b\nConditions:\n  Type\tStatus\n  Ready\tTrue\n";
        assert_eq!(
            format(t, DESCRIBE),
            "Name:    x\nLabels:  a=b\nConditions:\n  Type   Status\n  Ready  True\n"
        );
    }
}
