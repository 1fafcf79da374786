//! Moving over a laid-out definition: the box a name is in, the box the cursor goes to in a
//! direction, and the scroll that keeps a box in view. Geometry only, on `layout`'s grid.

use super::layout::{Dir, GraphLayout, NodeBox};

impl NodeBox {
    pub(super) fn contains(&self, other: &NodeBox) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.x + other.w <= self.x + self.w
            && other.y + other.h <= self.y + self.h
    }

    pub(super) fn centre_x(&self) -> u16 {
        self.x + self.w / 2
    }
}

impl GraphLayout {
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.boxes.iter().position(|b| b.name == name)
    }

    /// The box the cursor goes to from `from` in `dir`: the nearest one in that direction that
    /// lines up with it (shares columns for up/down, rows for left/right), else the nearest.
    /// Left and right never go to a frame holding the box or a box inside it.
    pub fn neighbour(&self, from: usize, dir: Dir) -> Option<usize> {
        let here = self.boxes.get(from)?;
        // Down from a frame enters it: its first branch's first state (next in reading order).
        if dir == Dir::Down
            && here.container
            && self.boxes.get(from + 1).is_some_and(|b| here.contains(b))
        {
            return Some(from + 1);
        }
        let (hx, hy) = (i32::from(here.centre_x()), i32::from(here.y));
        self.boxes
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != from)
            .filter_map(|(i, other)| {
                let (ox, oy) = (i32::from(other.centre_x()), i32::from(other.y));
                let ahead = match dir {
                    Dir::Down => oy > hy,
                    Dir::Up => oy < hy,
                    Dir::Right => ox > hx,
                    Dir::Left => ox < hx,
                };
                let sideways = matches!(dir, Dir::Left | Dir::Right);
                if !ahead || (sideways && (here.contains(other) || other.contains(here))) {
                    return None;
                }
                // Sideways, a box on the same row (rows are top-aligned) beats one that only
                // overlaps it: from beside a frame, left goes to the frame, not into it.
                let (along, across, lined_up) = if sideways {
                    let overlap = other.y < here.y + here.h && here.y < other.y + other.h;
                    let rank = if oy == hy {
                        0
                    } else if overlap {
                        1
                    } else {
                        2
                    };
                    ((ox - hx).abs(), (oy - hy).abs(), rank)
                } else {
                    let overlap = other.x < here.x + here.w && here.x < other.x + other.w;
                    (
                        (oy - hy).abs(),
                        (ox - hx).abs(),
                        if overlap { 0 } else { 2 },
                    )
                };
                let key = if lined_up < 2 {
                    (lined_up, along, across)
                } else {
                    (lined_up, along + across, across)
                };
                Some((key, i))
            })
            .min()
            .map(|(_, i)| i)
    }

    /// The scroll offset (columns, rows) that shows box `index` in a `width`×`height` view,
    /// moving `scroll` as little as it can; a box larger than the view shows its top left.
    pub fn scroll_to_show(
        &self,
        index: usize,
        width: u16,
        height: u16,
        scroll: (u16, u16),
    ) -> (u16, u16) {
        let Some(b) = self.boxes.get(index) else {
            return scroll;
        };
        let fit = |start: u16, size: u16, view: u16, offset: u16| -> u16 {
            if start < offset || size > view {
                start
            } else if start + size > offset + view {
                start + size - view
            } else {
                offset
            }
        };
        // No scrolling past the graph's end (a fold may have made it shorter).
        let (width, height) = (width.max(1), height.max(1));
        let scroll = (
            scroll.0.min(self.width.saturating_sub(width)),
            scroll.1.min(self.height.saturating_sub(height)),
        );
        (
            fit(b.x, b.w, width, scroll.0),
            fit(b.y, b.h, height, scroll.1),
        )
    }
}
