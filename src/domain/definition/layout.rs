//! Where each state of a definition goes on a character grid: each flow as rows of boxes, one
//! row per step from its start (the longest path, so a state sits below everything that leads
//! to it), a Parallel or Map as a frame around its flows side by side, and the wires between
//! consecutive rows. A transition that cannot be drawn as a short wire (one that skips rows,
//! loops back, or leaves the flow) is written in its box instead ("→ X", "↺ X"), so nothing
//! the definition says is left out. Pure geometry: the widget only paints it.

use super::{Definition, EdgeKind, Exit, Flow};
use crate::domain::text::escape_control;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Wire directions out of a cell, or-ed together; the widget picks the box-drawing character.
pub const UP: u8 = 1;
pub const DOWN: u8 = 2;
pub const LEFT: u8 = 4;
pub const RIGHT: u8 = 8;
/// Whether a plain transition (SOLID) or a Catch (DASHED) passes the cell: a cell only
/// catches pass is drawn dashed.
pub const SOLID: u8 = 16;
pub const DASHED: u8 = 32;

const MIN_BOX_WIDTH: usize = 12;
const MAX_BOX_WIDTH: usize = 32;
/// Columns between boxes of one row, and between a Parallel's branches.
const ROW_GAP: usize = 3;
const BRANCH_GAP: usize = 4;
/// Rows between two rows of boxes: one for the wires, one for the arrowheads.
const WIRE_ROWS: usize = 2;
/// The widest a label beside an arrowhead gets.
const MAX_LABEL: usize = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Up,
    Down,
    Left,
    Right,
}

/// One state on the grid: a box, or for an unfolded Parallel or Map the frame around its flows.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeBox {
    /// The state's name as written (lookups); `title` is what is shown.
    pub name: String,
    pub title: String,
    /// Type and detail: "Task · lambda", "Parallel · 2 branches".
    pub subtitle: String,
    /// Transitions not drawn as wires, and for a folded box what it hides.
    pub notes: Vec<String>,
    pub x: u16,
    pub y: u16,
    pub w: u16,
    pub h: u16,
    /// An unfolded Parallel or Map: a frame whose inside holds other boxes.
    pub container: bool,
    /// A Parallel or Map drawn as one box.
    pub folded: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub x: u16,
    pub y: u16,
    /// Escaped and cut to the room it has.
    pub text: String,
    pub kind: EdgeKind,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphLayout {
    /// In reading order: a flow's rows top to bottom, a frame before what it holds.
    pub boxes: Vec<NodeBox>,
    /// Cells crossed by wires, with the directions they connect.
    pub wires: BTreeMap<(u16, u16), u8>,
    /// Arrowheads, just above the box they enter.
    pub arrows: Vec<(u16, u16)>,
    /// What takes a transition (a Choice rule, `default`, a Catch's errors), right of its
    /// arrowhead.
    pub labels: Vec<Label>,
    pub width: u16,
    pub height: u16,
}

/// Lays out the whole definition, the Parallels and Maps named in `folded` drawn as one box.
pub fn layout(definition: &Definition, folded: &HashSet<String>) -> GraphLayout {
    let block = flow_block(definition, &definition.top, folded);
    let clamp = |v: usize| u16::try_from(v).unwrap_or(u16::MAX);
    let mut wires = BTreeMap::new();
    for (x, y, mask) in block.wires {
        *wires.entry((clamp(x), clamp(y))).or_insert(0) |= mask;
    }
    GraphLayout {
        boxes: block
            .boxes
            .into_iter()
            .map(|b| NodeBox {
                name: b.name,
                title: b.title,
                subtitle: b.subtitle,
                notes: b.notes,
                x: clamp(b.x),
                y: clamp(b.y),
                w: clamp(b.w),
                h: clamp(b.h),
                container: b.container,
                folded: b.folded,
            })
            .collect(),
        wires,
        arrows: block
            .arrows
            .into_iter()
            .map(|(x, y)| (clamp(x), clamp(y)))
            .collect(),
        labels: block
            .labels
            .into_iter()
            .map(|(x, y, text, kind)| Label {
                x: clamp(x),
                y: clamp(y),
                text,
                kind,
            })
            .collect(),
        width: clamp(block.w),
        height: clamp(block.h),
    }
}

/// A box before it is placed (usize: a large definition is summed before it is clamped).
#[derive(Debug, Clone)]
struct Placed {
    name: String,
    title: String,
    subtitle: String,
    notes: Vec<String>,
    x: usize,
    y: usize,
    w: usize,
    h: usize,
    container: bool,
    folded: bool,
}

/// A laid-out piece (one box, a frame with its flows, or a whole flow) at the origin.
#[derive(Debug, Default)]
struct Block {
    w: usize,
    h: usize,
    boxes: Vec<Placed>,
    wires: Vec<(usize, usize, u8)>,
    arrows: Vec<(usize, usize)>,
    labels: Vec<(usize, usize, String, EdgeKind)>,
}

impl Block {
    /// A block that is one box, the size of the box.
    fn of(shown: Placed) -> Block {
        Block {
            w: shown.w,
            h: shown.h,
            boxes: vec![shown],
            ..Block::default()
        }
    }

    fn put(&mut self, other: Block, ox: usize, oy: usize) {
        self.boxes.extend(other.boxes.into_iter().map(|mut b| {
            b.x += ox;
            b.y += oy;
            b
        }));
        self.wires
            .extend(other.wires.into_iter().map(|(x, y, m)| (x + ox, y + oy, m)));
        self.arrows
            .extend(other.arrows.into_iter().map(|(x, y)| (x + ox, y + oy)));
        self.labels.extend(
            other
                .labels
                .into_iter()
                .map(|(x, y, text, kind)| (x + ox, y + oy, text, kind)),
        );
    }

    /// A wire down column `x` from row `from` to row `to`, inclusive.
    fn vertical(&mut self, x: usize, from: usize, to: usize, line: u8) {
        for y in from..=to {
            self.wires.push((x, y, UP | DOWN | line));
        }
    }

    /// The wire from `from_x` (coming down from above) along row `y` to `to_x` (going on
    /// down), and the arrowhead below it.
    fn connect(&mut self, from_x: usize, to_x: usize, y: usize, dashed: bool) {
        let line = if dashed { DASHED } else { SOLID };
        self.wires.push((from_x, y, UP | line));
        self.wires.push((to_x, y, DOWN | line));
        let (low, high) = (from_x.min(to_x), from_x.max(to_x));
        for x in low..=high {
            let mut mask = 0;
            if x > low {
                mask |= LEFT;
            }
            if x < high {
                mask |= RIGHT;
            }
            if mask != 0 {
                self.wires.push((x, y, mask | line));
            }
        }
        self.arrows.push((to_x, y + 1));
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

fn cut(text: &str, width: usize) -> String {
    if chars(text) <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn subtitle(kind: &str, detail: Option<&str>) -> String {
    match detail {
        Some(detail) => format!("{} · {}", escape_control(kind), escape_control(detail)),
        None => escape_control(kind).into_owned(),
    }
}

/// One state as a block: a box, or a frame around its flows.
fn state_block(
    definition: &Definition,
    index: usize,
    notes: Vec<String>,
    folded: &HashSet<String>,
) -> Block {
    let node = &definition.nodes[index];
    let title = escape_control(&node.name).into_owned();
    let sub = subtitle(&node.kind, node.detail.as_deref());
    let fold = node.is_container() && folded.contains(&node.name);
    if !node.is_container() || fold {
        let mut notes = notes;
        if fold {
            let hidden = node.nested_count(definition);
            notes.insert(
                0,
                format!(
                    "{hidden} state{} folded",
                    if hidden == 1 { "" } else { "s" }
                ),
            );
        }
        let inner = MAX_BOX_WIDTH - 4;
        let title = cut(&title, inner);
        let sub = cut(&sub, inner);
        let notes: Vec<String> = notes.iter().map(|n| cut(n, inner)).collect();
        let widest = std::iter::once(&title)
            .chain(std::iter::once(&sub))
            .chain(&notes)
            .map(|t| chars(t))
            .max()
            .unwrap_or(0);
        let w = (widest + 4).clamp(MIN_BOX_WIDTH, MAX_BOX_WIDTH);
        let h = 4 + notes.len();
        let shown = Placed {
            name: node.name.clone(),
            title,
            subtitle: sub,
            notes,
            x: 0,
            y: 0,
            w,
            h,
            container: false,
            folded: fold,
        };
        return Block::of(shown);
    }

    // A frame: the title in its top border, the flows side by side below a fan-out from the
    // top, the notes in its bottom border.
    let flows: Vec<Block> = node
        .children
        .iter()
        .map(|flow| flow_block(definition, flow, folded))
        .collect();
    let inner_w =
        flows.iter().map(|f| f.w).sum::<usize>() + BRANCH_GAP * flows.len().saturating_sub(1);
    let inner_h = flows.iter().map(|f| f.h).max().unwrap_or(0);
    let heading = format!("{title} · {sub}");
    let footer = notes.join(" · ");
    let w = (inner_w + 4)
        .max(chars(&heading) + 8)
        .max(chars(&footer) + 6)
        .max(MIN_BOX_WIDTH);
    let h = 1 + WIRE_ROWS + inner_h + 1;
    let mut block = Block::of(Placed {
        name: node.name.clone(),
        title,
        subtitle: sub,
        notes,
        x: 0,
        y: 0,
        w,
        h,
        container: true,
        folded: false,
    });
    let centre = w / 2;
    let mut x = (w - inner_w) / 2;
    let top = 1 + WIRE_ROWS;
    for flow in flows {
        let (first_x, first_w) = flow.boxes.first().map_or((0, flow.w), |b| (b.x, b.w));
        block.connect(centre, landing(centre, x + first_x, first_w), 1, false);
        let fw = flow.w;
        block.put(flow, x, top);
        x += fw + BRANCH_GAP;
    }
    block
}

/// Where a wire coming down at column `from` enters a box spanning `left..left + width`:
/// straight down when it is over the box's top (no jog of a column or two), else the middle.
fn landing(from: usize, left: usize, width: usize) -> usize {
    if from > left && from + 1 < left + width {
        from
    } else {
        left + width / 2
    }
}

/// One flow: ranks by longest path from its start (ignoring loops), a row per rank.
fn flow_block(definition: &Definition, flow: &Flow, folded: &HashSet<String>) -> Block {
    let members: HashMap<&str, usize> = flow
        .states
        .iter()
        .enumerate()
        .map(|(position, &i)| (definition.nodes[i].name.as_str(), position))
        .collect();
    let count = flow.states.len();
    let targets = |position: usize| -> Vec<(&Exit, Option<usize>)> {
        definition.nodes[flow.states[position]]
            .exits
            .iter()
            .map(|exit| (exit, members.get(exit.target.as_str()).copied()))
            .collect()
    };

    // Depth-first from the start, then from anything it does not reach: an edge to a state
    // still on the stack closes a loop and does not rank.
    let start = members.get(flow.start_at.as_str()).copied().unwrap_or(0);
    let mut colour = vec![0u8; count]; // 0 new, 1 on the stack, 2 done
    let mut post_order = Vec::with_capacity(count);
    let mut back_edges: HashSet<(usize, usize)> = HashSet::new();
    for root in std::iter::once(start).chain(0..count) {
        if colour[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        colour[root] = 1;
        while let Some((at, next_exit)) = stack.pop() {
            let exits = targets(at);
            if let Some((_, target)) = exits.get(next_exit) {
                stack.push((at, next_exit + 1));
                if let Some(target) = *target {
                    match colour[target] {
                        0 => {
                            colour[target] = 1;
                            stack.push((target, 0));
                        }
                        1 => {
                            back_edges.insert((at, target));
                        }
                        _ => {}
                    }
                }
            } else {
                colour[at] = 2;
                post_order.push(at);
            }
        }
    }
    let mut rank = vec![0usize; count];
    for &at in post_order.iter().rev() {
        for (_, target) in targets(at) {
            if let Some(target) = target
                && !back_edges.contains(&(at, target))
            {
                rank[target] = rank[target].max(rank[at] + 1);
            }
        }
    }

    // Notes for the transitions that will not be wires.
    let mut notes: Vec<Vec<String>> = vec![Vec::new(); count];
    let mut wired: Vec<(usize, usize)> = Vec::new();
    let mut wired_exits: Vec<&Exit> = Vec::new();
    for at in 0..count {
        for (exit, target) in targets(at) {
            let shown = escape_control(&exit.target);
            let note = match target {
                Some(t) if rank[t] == rank[at] + 1 && !back_edges.contains(&(at, t)) => {
                    wired.push((at, t));
                    wired_exits.push(exit);
                    continue;
                }
                Some(t) if back_edges.contains(&(at, t)) || rank[t] <= rank[at] => {
                    format!("↺ {shown}")
                }
                Some(_) => match exit.kind {
                    EdgeKind::Catch => format!("catch → {shown}"),
                    _ => format!("→ {shown}"),
                },
                None => format!("→ {shown} (not in this flow)"),
            };
            notes[at].push(note);
        }
    }

    // Rows, each ordered by where its predecessors sit in the row above (fewer crossings),
    // then by the definition's order.
    let rows = rank.iter().max().map_or(0, |r| r + 1);
    let mut by_rank: Vec<Vec<usize>> = vec![Vec::new(); rows];
    for at in 0..count {
        by_rank[rank[at]].push(at);
    }
    for r in 1..rows {
        let above = &by_rank[r - 1];
        let position_above = |p: usize| above.iter().position(|&a| a == p);
        let mut keyed: Vec<(usize, usize)> = by_rank[r]
            .iter()
            .map(|&at| {
                let key = wired
                    .iter()
                    .filter(|(_, t)| *t == at)
                    .filter_map(|(s, _)| position_above(*s))
                    .min()
                    .unwrap_or(usize::MAX);
                (key, at)
            })
            .collect();
        keyed.sort();
        by_rank[r] = keyed.into_iter().map(|(_, at)| at).collect();
    }

    let mut blocks: Vec<Option<Block>> = (0..count)
        .map(|at| {
            Some(state_block(
                definition,
                flow.states[at],
                std::mem::take(&mut notes[at]),
                folded,
            ))
        })
        .collect();
    let size =
        |at: usize, blocks: &[Option<Block>]| blocks[at].as_ref().map_or((0, 0), |b| (b.w, b.h));
    let row_width = |row: &[usize], blocks: &[Option<Block>]| -> usize {
        row.iter().map(|&at| size(at, blocks).0).sum::<usize>()
            + ROW_GAP * row.len().saturating_sub(1)
    };
    let width = by_rank
        .iter()
        .map(|row| row_width(row, &blocks))
        .max()
        .unwrap_or(0);

    // Where every box goes, before any is placed: a wire needs both of its ends.
    let mut origin = vec![(0usize, 0usize); count];
    let mut row_bottom = vec![0usize; rows];
    let mut y = 0;
    for (r, row) in by_rank.iter().enumerate() {
        let mut x = (width - row_width(row, &blocks)) / 2;
        for &at in row {
            origin[at] = (x, y);
            x += size(at, &blocks).0 + ROW_GAP;
        }
        let height = row.iter().map(|&at| size(at, &blocks).1).max().unwrap_or(0);
        row_bottom[r] = y + height.max(1) - 1;
        y = row_bottom[r] + 1 + if r + 1 < rows { WIRE_ROWS } else { 0 };
    }

    let mut placed = Block {
        w: width,
        h: y,
        ..Block::default()
    };
    let centre = |at: usize, blocks: &[Option<Block>]| origin[at].0 + size(at, blocks).0 / 2;
    let mut wires = Vec::with_capacity(wired.len());
    for (&(source, target), exit) in wired.iter().zip(&wired_exits) {
        let from = centre(source, &blocks);
        let (left, width) = (origin[target].0, size(target, &blocks).0);
        wires.push((
            from,
            landing(from, left, width),
            row_bottom[rank[source]] + 1,
            *exit,
        ));
    }
    for (&(source, _), exit) in wired.iter().zip(&wired_exits) {
        // A box shorter than its row: its wire goes on down to the row's bottom.
        let (x, top) = origin[source];
        let bottom = top + size(source, &blocks).1;
        let row_end = row_bottom[rank[source]];
        let line = if exit.kind == EdgeKind::Catch {
            DASHED
        } else {
            SOLID
        };
        if bottom <= row_end {
            placed.vertical(x + size(source, &blocks).0 / 2, bottom, row_end, line);
        }
    }
    for &(from_x, to_x, y, exit) in &wires {
        placed.connect(from_x, to_x, y, exit.kind == EdgeKind::Catch);
    }
    // A Choice rule's or a Catch's label beside its arrowhead, as wide as the row lets it be
    // before the next arrowhead.
    for &(_, to_x, y, exit) in &wires {
        let Some(label) = &exit.label else {
            continue;
        };
        let row = y + 1;
        let next_arrow = placed
            .arrows
            .iter()
            .filter(|&&(x, at)| at == row && x > to_x)
            .map(|&(x, _)| x)
            .min();
        // The last arrowhead of its row may widen the flow for its label.
        let room = next_arrow.map_or(MAX_LABEL, |x| x.saturating_sub(to_x + 3).min(MAX_LABEL));
        if room >= 4 {
            let text = cut(&escape_control(label), room);
            placed.w = placed.w.max(to_x + 2 + chars(&text));
            placed.labels.push((to_x + 2, row, text, exit.kind));
        }
    }
    for row in &by_rank {
        for &at in row {
            if let Some(block) = blocks[at].take() {
                placed.put(block, origin[at].0, origin[at].1);
            }
        }
    }
    placed
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
