//! A bar per bucket, each stacked from the bottom with one coloured segment per category, in
//! whole cells (ratatui's `BarChart` draws one value per bar). Knows no App.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

/// Draws `columns` (each the counts of its categories, bottom first) side by side in `area`,
/// scaled so the tallest fills the height; `colors[k]` paints category `k`. Each bar takes
/// an equal share of the width, less a one-cell gap when there is room for one.
pub fn render<const K: usize>(
    columns: &[[u32; K]],
    colors: &[Color; K],
    area: Rect,
    buf: &mut Buffer,
) {
    if columns.is_empty() || area.width == 0 || area.height == 0 {
        return;
    }
    let max = columns
        .iter()
        .map(|c| c.iter().map(|&n| u64::from(n)).sum::<u64>())
        .max()
        .unwrap_or(0);
    if max == 0 {
        return;
    }
    let slot = (area.width as usize / columns.len()).max(1);
    let bar = if slot >= 3 { slot - 1 } else { slot };
    let height = u64::from(area.height);
    for (i, column) in columns.iter().enumerate() {
        let x0 = area.x as usize + i * slot;
        if x0 >= (area.x + area.width) as usize {
            break;
        }
        // Cumulative tops of the segments, in cells, rounded: a non-empty bucket shows at
        // least one cell.
        let total: u64 = column.iter().map(|&n| u64::from(n)).sum();
        let mut below = 0u64;
        let mut cells_below = 0u64;
        for (k, &n) in column.iter().enumerate() {
            if n == 0 {
                continue;
            }
            below += u64::from(n);
            let mut top = (below * height + max / 2) / max;
            if below == total {
                top = top.max(1);
            }
            for row in cells_below..top.min(height) {
                let y = area.y + area.height - 1 - row as u16;
                for x in x0..(x0 + bar).min((area.x + area.width) as usize) {
                    buf[(x as u16, y)].set_symbol("█").set_fg(colors[k]);
                }
            }
            cells_below = cells_below.max(top);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawn(columns: &[[u32; 2]], width: u16, height: u16) -> Vec<String> {
        let area = Rect::new(0, 0, width, height);
        let mut buf = Buffer::empty(area);
        render(columns, &[Color::Green, Color::Red], area, &mut buf);
        (0..height)
            .map(|y| {
                (0..width)
                    .map(|x| match (buf[(x, y)].symbol(), buf[(x, y)].fg) {
                        ("█", Color::Green) => 'g',
                        ("█", Color::Red) => 'r',
                        _ => '.',
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn bars_stack_their_categories_scaled_to_the_tallest() {
        // 4 high: 3 green + 1 red fills it; 2 green is half; 0 is empty; 1 red is a quarter.
        let rows = drawn(&[[3, 1], [2, 0], [0, 0], [0, 1]], 12, 4);
        assert_eq!(
            rows,
            vec![
                "rr..........",
                "gg..........",
                "gg.gg.......",
                "gg.gg....rr."
            ]
        );
    }
}
