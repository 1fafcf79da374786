//! The layer rules of design.md ("Rules the code keeps"), read from the text of `src/**/*.rs`.
//! Every crate path a file names (`use` trees, `crate::`/`super::`/`self::`/child-module paths
//! inline) is mapped to the file it lands in (the longest module prefix that is a file), and the
//! arrows are checked. `#[cfg(test)]` items and `*_tests.rs` files are left out; comments and
//! string literals are not code.
//!
//! Today's tree breaks some rules while the restructure is under way: those violations are
//! listed exactly in `KNOWN`. The test fails on a violation not in the list (a new forbidden
//! arrow) and on an entry that no longer occurs (debt paid: delete its line). Rule ids:
//! domain-imports-outside, adapter-imports-adapter, keymap-settings-import-up,
//! cli-imports-outside-domain, app-imports-runtime, app-imports-adapter, app-uses-tokio,
//! screen-imports-screen, overlay-imports-screen-or-flow, names-app, ratatui-outside-views,
//! gate-call-site, cycle.

use std::collections::{BTreeMap, BTreeSet};

/// (file under src/, rule id, imported path or detail). Cycles are keyed by their members.
#[rustfmt::skip]
const KNOWN: &[(&str, &str, &str)] = &[
];
/// (file, rule, detail) → the line of its first occurrence (0: the whole file or a cycle).
type Violations = BTreeMap<(String, &'static str, String), usize>;
type Token<'a> = (&'a str, usize);

#[test]
fn the_source_tree_keeps_the_layer_rules() {
    let mut files = BTreeMap::new();
    read_tree(
        concat!(env!("CARGO_MANIFEST_DIR"), "/src").as_ref(),
        "",
        &mut files,
    );
    let found = check(&files);
    let known: BTreeSet<_> = KNOWN
        .iter()
        .map(|(f, r, d)| (f.to_string(), *r, d.to_string()))
        .collect();
    let new = found.keys().filter(|k| !known.contains(*k)).count();
    let gone: Vec<_> = known.iter().filter(|k| !found.contains_key(*k)).collect();
    if new > 0 || !gone.is_empty() {
        let mut report = format!(
            "{new} new violation(s), {} KNOWN entry(ies) gone:\n",
            gone.len()
        );
        for ((file, rule, detail), line) in &found {
            let tag = if known.contains(&(file.clone(), *rule, detail.clone())) {
                "known"
            } else {
                "NEW  "
            };
            let place = match (*rule, line) {
                ("cycle", _) => "import cycle".to_string(),
                (_, 0) => format!("src/{file}"),
                (_, line) => format!("src/{file}:{line}"),
            };
            report += &format!("{tag} ({file:?}, {rule:?}, {detail:?}), // {place}\n");
        }
        for (file, rule, detail) in gone {
            report += &format!(
                "GONE  ({file:?}, {rule:?}, {detail:?}) no longer occurs: delete it from KNOWN\n"
            );
        }
        panic!("{report}");
    }
}

fn read_tree(dir: &std::path::Path, prefix: &str, files: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = format!("{prefix}{}", path.file_name().unwrap().to_string_lossy());
        if path.is_dir() {
            read_tree(&path, &format!("{name}/"), files);
        } else if name.ends_with(".rs") && !name.ends_with("_tests.rs") {
            files.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The module path of a file under src/: `app/screens/faces/mod.rs` → app, screens, faces.
fn module(file: &str) -> Vec<String> {
    let mut m: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if matches!(file, "lib.rs" | "main.rs") || m.last().is_some_and(|s| s == "mod") {
        m.pop();
    }
    m
}

/// Every violation in `files` (path under src/ → source text).
fn check(files: &BTreeMap<String, String>) -> Violations {
    let mods: BTreeMap<Vec<String>, &str> = files
        .keys()
        .filter(|f| *f != "main.rs")
        .map(|f| (module(f), f.as_str()))
        .collect();
    let (mut out, mut edges, mut gates) = (Violations::new(), BTreeMap::new(), BTreeMap::new());
    for (file, text) in files {
        let (f, here) = (file.as_str(), module(file));
        let t = drop_cfg_test(tokens(text));
        let children: BTreeSet<&str> = t
            .windows(3)
            .filter(|w| w[0].0 == "mod" && w[2].0 == ";")
            .map(|w| w[1].0)
            .collect();
        let mut v =
            |rule, detail: String, line| *out.entry((file.clone(), rule, detail)).or_insert(line);
        let mut imports_gate = f == "app/safety.rs";
        for (raw, line) in paths(&t) {
            let ups = raw.iter().take_while(|s| *s == "super").count();
            let abs = match raw[0].as_str() {
                "crate" => raw[1..].to_vec(),
                "stepdeck" if f == "main.rs" => raw[1..].to_vec(),
                "self" => [&here[..], &raw[1..]].concat(),
                "super" => [&here[..here.len().saturating_sub(ups)], &raw[ups..]].concat(),
                first if children.contains(first) => [&here[..], &raw[..]].concat(),
                first => {
                    if matches!(first, "ratatui" | "ratatui_image") && !may_use_ratatui(f) {
                        v("ratatui-outside-views", first.to_string(), line);
                    }
                    if first == "tokio" && f.starts_with("app/") {
                        v("app-uses-tokio", first.to_string(), line);
                    }
                    continue;
                }
            };
            let shown = format!("crate::{}", abs.join("::"));
            if abs.len() >= 2 && abs[..2] == ["app", "App"] && !may_name_app(f) {
                v("names-app", shown.clone(), line);
            }
            imports_gate |= abs == ["app", "safety", "gate"];
            let Some(to) = (0..=abs.len())
                .rev()
                .find_map(|k| mods.get(&abs[..k]).copied())
            else {
                continue;
            };
            if to == f {
                continue;
            }
            edges.entry(f).or_insert_with(BTreeSet::new).insert(to);
            let is = |p: &str, dirs: &[&str]| dirs.iter().any(|d| p.starts_with(d));
            let adapters = ["backend/aws/", "backend/local/"];
            let rules = [
                (
                    "domain-imports-outside",
                    is(f, &["domain/"]) && !is(to, &["domain/"]),
                ),
                (
                    "adapter-imports-adapter",
                    (is(f, &adapters[..1]) && is(to, &adapters[1..]))
                        || (is(f, &adapters[1..]) && is(to, &adapters[..1]))
                        || (is(f, &["store/"]) && is(to, &adapters)),
                ),
                (
                    "keymap-settings-import-up",
                    is(f, &["keymap/", "settings/"]) && is(to, &["app/", "runtime/", "cli/"]),
                ),
                // `stepdeck cache` reads and clears the store file, a headless job over a local
                // file like `timeline` over a history file (design.md says cli → domain); a
                // live one (`test`, `stats`) asks through the `Backend` trait and its types, never an
                // adapter (design.md: "domain (+ backend for live ones)").
                (
                    "cli-imports-outside-domain",
                    is(f, &["cli/"])
                        && (!is(to, &["domain/", "cli/", "store/", "backend/"])
                            || is(to, &adapters)),
                ),
                (
                    "app-imports-runtime",
                    is(f, &["app/"]) && is(to, &["runtime/"]),
                ),
                ("app-imports-adapter", is(f, &["app/"]) && is(to, &adapters)),
                (
                    "screen-imports-screen",
                    screen(f).is_some() && screen(to).is_some() && screen(f) != screen(to),
                ),
                (
                    "overlay-imports-screen-or-flow",
                    is(f, &["app/overlays/"]) && is(to, &["app/screens/", "app/flows/"]),
                ),
            ];
            for (rule, _) in rules.into_iter().filter(|r| r.1) {
                v(rule, shown.clone(), line);
            }
        }
        for (i, w) in t.windows(3).enumerate() {
            let form = match (w[0].0, w[1].0, w[2].0) {
                ("&", "App", _) => "&App",
                ("&", "mut", "App") => "&mut App",
                ("impl", "App", _) => "impl App",
                _ => "",
            };
            if !form.is_empty() && !may_name_app(f) {
                v("names-app", form.to_string(), w[0].1);
            }
            let before = |k: usize| t.get(i.wrapping_sub(k)).map_or("", |x| x.0);
            let via_path = before(1) == "::" && before(2) == "safety";
            let bare = imports_gate && !matches!(before(1), "::" | "." | "fn");
            if w[0].0 == "gate" && w[1].0 == "(" && (via_path || bare) {
                gates.entry(f).or_insert((0, w[0].1)).0 += 1;
            }
        }
    }
    for (f, (calls, line)) in gates.iter().filter(|(f, _)| **f != "app/update.rs") {
        out.insert(
            (
                f.to_string(),
                "gate-call-site",
                format!("{calls} call(s) of safety::gate"),
            ),
            *line,
        );
    }
    let in_update = gates.get("app/update.rs").map_or(0, |g| g.0);
    if in_update != 1 {
        let detail = format!("{in_update} call(s) of safety::gate here, want exactly 1");
        out.insert(("app/update.rs".into(), "gate-call-site", detail), 0);
    }
    for scc in cycles(&edges) {
        out.insert((scc.join(" "), "cycle", format!("{} files", scc.len())), 0);
    }
    out
}

/// The screen folder a file is in: `app/screens/faces/view.rs` → faces.
fn screen(p: &str) -> Option<&str> {
    p.strip_prefix("app/screens/")?.split_once('/').map(|s| s.0)
}

/// The view files, the overlays, frame, widgets and the runtime (the terminal lives there).
fn may_use_ratatui(f: &str) -> bool {
    let view = f
        .strip_prefix("app/screens/")
        .is_some_and(|s| s.split('/').count() == 2 && s.ends_with("/view.rs"));
    let tab = ["timeline", "details", "definition", "events", "io"]
        .iter()
        .any(|t| f == format!("app/screens/execution/{t}.rs"));
    view || tab
        || ["app/overlays/", "app/frame/", "app/widgets/", "runtime/"]
            .iter()
            .any(|p| f.starts_with(p))
}

/// The shell may name `App`; so may what sits above app and owns it (runtime drives update and
/// render, main builds it). A screen, an overlay or a leaf of app may not.
fn may_name_app(f: &str) -> bool {
    matches!(
        f,
        "app/mod.rs" | "app/update.rs" | "app/keys.rs" | "app/commands.rs" | "main.rs"
    ) || ["app/frame/", "app/flows/", "runtime/"]
        .iter()
        .any(|p| f.starts_with(p))
}

/// Strongly connected components of more than one file (Tarjan), members sorted.
fn cycles<'a>(edges: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Vec<Vec<&'a str>> {
    type Graph<'a> = BTreeMap<&'a str, BTreeSet<&'a str>>;
    #[derive(Default)]
    struct Tarjan<'a> {
        index: BTreeMap<&'a str, (usize, usize)>, // (index, lowlink)
        stack: Vec<&'a str>,
        out: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(n: &'a str, edges: &Graph<'a>, s: &mut Tarjan<'a>) {
        let i = s.index.len();
        s.index.insert(n, (i, i));
        s.stack.push(n);
        for &m in edges.get(n).into_iter().flatten() {
            if !s.index.contains_key(m) {
                visit(m, edges, s);
                let low = s.index[n].1.min(s.index[m].1);
                s.index.get_mut(n).unwrap().1 = low;
            } else if s.stack.contains(&m) {
                let low = s.index[n].1.min(s.index[m].0);
                s.index.get_mut(n).unwrap().1 = low;
            }
        }
        if s.index[n].0 == s.index[n].1 {
            let at = s.stack.iter().rposition(|x| *x == n).unwrap();
            let mut scc = s.stack.split_off(at);
            if scc.len() > 1 {
                scc.sort();
                s.out.push(scc);
            }
        }
    }
    let mut s = Tarjan::default();
    for &n in edges.keys() {
        if !s.index.contains_key(n) {
            visit(n, edges, &mut s);
        }
    }
    s.out
}

/// Identifiers, `::` and single punctuation characters with their line; comments, string and
/// char literals are skipped.
fn tokens(src: &str) -> Vec<Token<'_>> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let (mut out, mut line, mut i) = (Vec::new(), 1, 0);
    while let Some(c) = src[i..].chars().next() {
        let rest = &src[i..];
        let hashes = rest
            .strip_prefix('r')
            .map_or(0, |r| r.len() - r.trim_start_matches('#').len());
        let raw = c == 'r' && rest[1 + hashes..].starts_with('"') && !src[..i].ends_with(word);
        let char_literal =
            c == '\'' && (rest[1..].starts_with('\\') || rest[1..].chars().nth(1) == Some('\''));
        let (len, code) = if rest.starts_with("//") {
            (rest.find('\n').unwrap_or(rest.len()), false)
        } else if rest.starts_with("/*") {
            (block_comment_len(rest), false)
        } else if raw {
            let close = format!("\"{}", "#".repeat(hashes));
            (
                rest[2 + hashes..]
                    .find(&close)
                    .map_or(rest.len(), |e| 2 + hashes + e + close.len()),
                false,
            )
        } else if c == '"' || char_literal {
            (quoted_len(rest, c), false)
        } else if word(c) {
            (rest.find(|c| !word(c)).unwrap_or(rest.len()), true)
        } else {
            (
                if rest.starts_with("::") {
                    2
                } else {
                    c.len_utf8()
                },
                !c.is_whitespace(),
            )
        };
        if code {
            out.push((&rest[..len], line));
        }
        line += rest[..len].matches('\n').count();
        i += len;
    }
    out
}

fn block_comment_len(s: &str) -> usize {
    let (mut depth, mut i) = (0, 0);
    while i < s.len() {
        if s[i..].starts_with("/*") || s[i..].starts_with("*/") {
            depth += if s[i..].starts_with("/*") { 1 } else { -1 };
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += s[i..].chars().next().unwrap().len_utf8();
        }
    }
    s.len()
}

fn quoted_len(s: &str, quote: char) -> usize {
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if c == quote {
            return i + 1;
        }
    }
    s.len()
}

/// Without the items under `#[cfg(test)]` (up to their `;` or their closing `}`).
fn drop_cfg_test(t: Vec<Token<'_>>) -> Vec<Token<'_>> {
    let (mut out, mut i) = (Vec::new(), 0);
    while i < t.len() {
        if !t[i..]
            .iter()
            .map(|x| x.0)
            .take(7)
            .eq(["#", "[", "cfg", "(", "test", ")", "]"])
        {
            out.push(t[i]);
            i += 1;
            continue;
        }
        let mut depth = 0;
        for (k, tok) in t.iter().enumerate().skip(i + 7) {
            i = k + 1;
            match tok.0 {
                "{" | "[" | "(" => depth += 1,
                "}" | "]" | ")" => depth -= 1,
                ";" if depth == 0 => break,
                _ => continue,
            }
            if depth == 0 && tok.0 == "}" {
                break;
            }
        }
    }
    out
}

/// Every path a file names: each leaf of each `use` tree, and each inline `a::b::c` that starts
/// a path (not after `::`), with its line.
fn paths(t: &[Token<'_>]) -> Vec<(Vec<String>, usize)> {
    fn tree(
        t: &[Token<'_>],
        mut i: usize,
        mut prefix: Vec<String>,
        out: &mut Vec<Vec<String>>,
    ) -> usize {
        let at = |i: usize| t.get(i).map_or(";", |x| x.0);
        let alias = |i: usize| if at(i) == "as" { i + 2 } else { i };
        loop {
            match at(i) {
                "::" => i += 1,
                "{" => {
                    i += 1;
                    while !matches!(at(i), "}" | ";") {
                        let next = tree(t, i, prefix.clone(), out);
                        i = if at(next) == "," {
                            next + 1
                        } else {
                            next.max(i + 1)
                        };
                    }
                    return i + 1;
                }
                "*" => {
                    out.push(prefix);
                    return i + 1;
                }
                "self" if at(i + 1) != "::" => {
                    out.push(prefix);
                    return alias(i + 1);
                }
                s if s.starts_with(|c: char| c.is_alphabetic() || c == '_') => {
                    prefix.push(s.to_string());
                    if at(i + 1) != "::" {
                        out.push(prefix);
                        return alias(i + 1);
                    }
                    i += 1;
                }
                _ => return i,
            }
        }
    }
    let word = |i: usize| {
        t.get(i)
            .is_some_and(|x| x.0.starts_with(|c: char| c.is_alphabetic() || c == '_'))
    };
    let sep = |i: usize| t.get(i).is_some_and(|x| x.0 == "::");
    let (mut out, mut i) = (Vec::new(), 0);
    while i < t.len() {
        if t[i].0 == "use" {
            let mut found = Vec::new();
            let line = t[i].1;
            i = tree(t, i + 1, Vec::new(), &mut found);
            out.extend(
                found
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .map(|p| (p, line)),
            );
        } else if word(i) && sep(i + 1) && !(i > 0 && sep(i - 1)) {
            let (line, mut path) = (t[i].1, vec![t[i].0.to_string()]);
            while sep(i + 1) && word(i + 2) {
                path.push(t[i + 2].0.to_string());
                i += 2;
            }
            out.push((path, line));
            i += 1;
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn each_rule_fires_on_a_small_tree() {
    let mut files: BTreeMap<String, String> = [
        ("lib.rs", "pub mod app; pub mod domain; pub mod runtime; pub mod cli;"),
        ("app/mod.rs", "pub mod update; pub mod safety; pub struct App;"),
        ("app/update.rs", "use super::safety; fn u(app: &mut super::App) { safety::gate(app, vec![]); }"),
        ("app/safety.rs", "use super::App; pub fn gate(app: &mut App, e: Vec<()>) -> Vec<()> { e }"),
        ("app/keys.rs", "use crate::app::safety::gate;\nfn k(app: &mut App) { gate(app, vec![]); crate::runtime::run(); }"),
        ("app/list.rs", "use ratatui::layout::Rect;\nasync fn wait() { tokio::time::sleep(D).await }"),
        ("app/screens/faces/mod.rs", "pub struct FacesView; pub fn on_key(app: &mut App) {}"),
        ("app/screens/faces/view.rs", "use ratatui::Frame; use super::FacesView;"),
        ("app/screens/thumbnails/mod.rs", "use crate::app::screens::faces::FacesView;"),
        ("app/overlays/help.rs", "use super::super::{screens::faces::{self, FacesView}, list::*};"),
        ("runtime/mod.rs", "use ratatui::Terminal; use crate::app::{App, update};"),
        ("domain/time.rs", "use crate::app::{self, msg::{Msg, Generation}};"),
        ("domain/a.rs", "use super::b::B; pub struct A;"),
        ("domain/b.rs", "pub struct B(crate::domain::a::A);"),
        ("cli/timeline.rs", "use crate::domain::a::A; use crate::app::App;"),
        ("backend/aws/mod.rs", "use crate::backend::local::LocalSandbox as L;"),
        ("backend/local/mod.rs", "pub struct LocalSandbox;"),
        ("keymap/mod.rs", "fn f() -> crate::runtime::Event { todo!() }"),
        // Not code: comments, strings, raw strings, test modules.
        ("settings/mod.rs", "// use crate::app::App;\n/* /* crate::runtime::x */ */ const S: &str = \"crate::app::App\";\nconst R: &str = r#\"&App \"crate::runtime\"#; const C: char = '\"';\n#[cfg(test)]\nmod tests { use crate::app::App; }"),
    ]
    .into_iter()
    .map(|(f, s)| (f.to_string(), s.to_string()))
    .collect();
    let found: Vec<String> = check(&files)
        .keys()
        .map(|(f, r, d)| format!("{f} | {r} | {d}"))
        .collect();
    assert_eq!(
        found,
        [
            "app/keys.rs | app-imports-runtime | crate::runtime::run",
            "app/keys.rs | gate-call-site | 1 call(s) of safety::gate",
            "app/list.rs | app-uses-tokio | tokio",
            "app/list.rs | ratatui-outside-views | ratatui",
            "app/overlays/help.rs | overlay-imports-screen-or-flow | crate::app::screens::faces",
            "app/overlays/help.rs | overlay-imports-screen-or-flow | crate::app::screens::faces::FacesView",
            "app/safety.rs | names-app | &mut App",
            "app/safety.rs | names-app | crate::app::App",
            "app/screens/faces/mod.rs | names-app | &mut App",
            "app/screens/thumbnails/mod.rs | screen-imports-screen | crate::app::screens::faces::FacesView",
            "backend/aws/mod.rs | adapter-imports-adapter | crate::backend::local::LocalSandbox",
            "cli/timeline.rs | cli-imports-outside-domain | crate::app::App",
            "cli/timeline.rs | names-app | crate::app::App",
            "domain/a.rs domain/b.rs | cycle | 2 files",
            "domain/time.rs | domain-imports-outside | crate::app",
            "domain/time.rs | domain-imports-outside | crate::app::msg::Generation",
            "domain/time.rs | domain-imports-outside | crate::app::msg::Msg",
            "keymap/mod.rs | keymap-settings-import-up | crate::runtime::Event",
        ]
    );

    // A second call in update.rs is a violation there too; so is none.
    files.insert(
        "app/update.rs".into(),
        "fn u() { crate::app::safety::gate(a, e); super::safety::gate(a, e) }".into(),
    );
    files.remove("app/keys.rs");
    let gate: Vec<_> = check(&files)
        .into_keys()
        .filter(|k| k.1 == "gate-call-site")
        .map(|k| k.2)
        .collect();
    assert_eq!(gate, ["2 call(s) of safety::gate here, want exactly 1"]);
}
