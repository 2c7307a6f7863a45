//! The order go-yaml v2 writes mapping keys in: not byte order but its own "natural" order,
//! where non-letters sort before letters and runs of digits compare by numeric value
//! (`a2` before `a10`). JSON output keeps Go's byte order; only YAML uses this.
//!
//! Must not import: anything outside std.

use std::cmp::Ordering;

/// Sorts keys as go-yaml's `keyList.Less` orders strings.
///
/// A merge sort of our own: `slice::sort_by` may panic on a comparator that is not a total
/// order, and nothing promises that go-yaml's is one for every input.
pub(super) fn sort_keys(keys: &mut Vec<&str>) {
    // Keys arrive in byte order; for keys made only of ASCII letters that already is
    // go-yaml's order (letters compare by code point, a prefix sorts first).
    let letters_only = keys
        .iter()
        .all(|k| k.bytes().all(|b| b.is_ascii_alphabetic()));
    if keys.len() < 2 || (letters_only && keys.is_sorted()) {
        return;
    }
    let runes: Vec<Vec<char>> = keys.iter().map(|k| k.chars().collect()).collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    let mut scratch = order.clone();
    merge_sort(&mut order, &mut scratch, &runes);
    let sorted: Vec<&str> = order.iter().map(|&i| keys[i]).collect();
    *keys = sorted;
}

fn merge_sort(items: &mut [usize], scratch: &mut [usize], runes: &[Vec<char>]) {
    let n = items.len();
    if n < 2 {
        return;
    }
    let mid = n / 2;
    merge_sort(&mut items[..mid], &mut scratch[..mid], runes);
    merge_sort(&mut items[mid..], &mut scratch[mid..], runes);
    let (mut i, mut j) = (0, mid);
    for slot in scratch.iter_mut().take(n) {
        let take_right =
            j < n && (i >= mid || less(&runes[items[j]], &runes[items[i]]) == Ordering::Less);
        if take_right {
            *slot = items[j];
            j += 1;
        } else {
            *slot = items[i];
            i += 1;
        }
    }
    items.copy_from_slice(&scratch[..n]);
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// go-yaml v2 `keyList.Less` for two string keys, as an `Ordering` (`Less` when `a < b`).
fn less(a: &[char], b: &[char]) -> Ordering {
    let yes = Ordering::Less;
    let no = Ordering::Greater;
    for i in 0..a.len().min(b.len()) {
        if a[i] == b[i] {
            continue;
        }
        let (al, bl) = (is_letter(a[i]), is_letter(b[i]));
        if al && bl {
            return if a[i] < b[i] { yes } else { no };
        }
        if al || bl {
            return if bl { yes } else { no };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if a[i] == '0' || b[i] == '0' {
            for j in (0..i).rev() {
                if !is_digit(a[j]) {
                    break;
                }
                if a[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < a.len() && is_digit(a[ai]) {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(a[ai] as u32) - i64::from('0' as u32));
            ai += 1;
        }
        let mut bi = i;
        while bi < b.len() && is_digit(b[bi]) {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(b[bi] as u32) - i64::from('0' as u32));
            bi += 1;
        }
        if an != bn {
            return if an < bn { yes } else { no };
        }
        if ai != bi {
            return if ai < bi { yes } else { no };
        }
        return if a[i] < b[i] { yes } else { no };
    }
    if a.len() < b.len() { yes } else { no }
}

#[cfg(test)]
mod tests {
    use super::sort_keys;

    #[test]
    fn digits_compare_numerically_and_punctuation_before_letters() {
        let mut keys = vec![
            "a10",
            "a2",
            "b",
            "_x",
            "A",
            "a",
            "app.kubernetes.io/name",
            "app",
            "1",
        ];
        sort_keys(&mut keys);
        assert_eq!(
            keys,
            vec![
                "_x",
                "1",
                "A",
                "a",
                "a2",
                "a10",
                "app",
                "app.kubernetes.io/name",
                "b"
            ]
        );
    }

    #[test]
    fn kubernetes_field_names_keep_alphabetical_order() {
        let mut keys = vec!["status", "spec", "metadata", "kind", "apiVersion"];
        sort_keys(&mut keys);
        assert_eq!(
            keys,
            vec!["apiVersion", "kind", "metadata", "spec", "status"]
        );
    }
}
