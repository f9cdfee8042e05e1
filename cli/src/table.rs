//! Column listings as `jitsu tokens list` prints them: a header row, then one `data:` line
//! per row with the columns padded to line up (the last one unpadded); with `--raw` each row
//! line carries its values as JSON.

use serde_json::Value;

use crate::output::Output;

/// Space between columns.
const GAP: usize = 3;

/// A listing being built.
#[derive(Debug)]
pub(crate) struct Table {
    header: Vec<String>,
    rows: Vec<(Vec<String>, Value)>,
}

impl Table {
    pub(crate) fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (one cell per column; empty cells print as `-`) and its `--raw` values.
    pub(crate) fn row(&mut self, cells: &[&str], raw: Value) {
        let cells = cells
            .iter()
            .map(|c| if c.is_empty() { "-" } else { c }.to_owned())
            .collect();
        self.rows.push((cells, raw));
    }

    /// The lines, header first.
    pub(crate) fn lines(&self) -> Vec<String> {
        let widths: Vec<usize> = (0..self.header.len())
            .map(|i| {
                self.rows
                    .iter()
                    .map(|(cells, _)| cells.get(i).map_or(0, |c| c.chars().count()))
                    .chain([self.header[i].chars().count()])
                    .max()
                    .unwrap_or(0)
                    + GAP
            })
            .collect();
        let render = |cells: &[String]| {
            let last = cells.len().saturating_sub(1);
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if i == last {
                        c.clone()
                    } else {
                        format!("{c:<w$}", w = widths[i])
                    }
                })
                .collect::<String>()
        };
        std::iter::once(render(&self.header))
            .chain(self.rows.iter().map(|(cells, _)| render(cells)))
            .collect()
    }

    /// Prints the header and the rows as `data:` lines.
    pub(crate) fn print(&self, out: &Output) {
        let lines = self.lines();
        out.data(&lines[0]);
        for (line, (_, raw)) in lines[1..].iter().zip(&self.rows) {
            out.data_with(line, raw.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_and_empty_cells_are_dashes() {
        let mut t = Table::new(&["name", "token", "scopes"]);
        t.row(&["jitsu", "****1d9a", "all"], Value::Null);
        t.row(&["a", "", "apps:read"], Value::Null);
        assert_eq!(
            t.lines(),
            [
                "name    token      scopes",
                "jitsu   ****1d9a   all",
                "a       -          apps:read",
            ]
        );
    }
}
