//! A small flow layout: blocks (headings, paragraphs, list items, table rows, boxes) are stacked down A4
//! pages, breaking onto a new page when the next line or row does not fit, while the structure tree
//! (what a screen reader follows) is built alongside.
//!
//! Two passes, because the footer says "Page n / N": first every block is placed into per-page drawing
//! operations, each text line pointing at a leaf of the structure tree; then the pages are drawn with
//! krilla, each leaf becoming a marked-content identifier, and the tree is handed to krilla with those
//! identifiers in reading order.

use std::num::NonZeroU16;

use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope,
    Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, TextDirection};
use krilla::{Data, Document, SerializeSettings};

use crate::PdfError;
use crate::text::{BOLD_TTF, Line, Metrics, REGULAR_TTF, Weight};

/// A4 portrait, in points.
const PAGE_WIDTH: f32 = 595.276;
const PAGE_HEIGHT: f32 = 841.89;
/// 2 cm on the sides and at the top.
const MARGIN_X: f32 = 56.693;
const MARGIN_TOP: f32 = 56.693;
/// 2.5 cm at the bottom, room for the footer.
const MARGIN_BOTTOM: f32 = 70.866;
/// Baseline of the footer, from the top of the page.
const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 34.0;
/// Line height as a multiple of the font size: generous, as easy-to-read (FALC) guidance asks.
const LINE: f32 = 1.5;

/// Font sizes for one reading mode.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scale {
    pub(crate) body: f32,
    pub(crate) title: f32,
    pub(crate) h2: f32,
    pub(crate) h3: f32,
    pub(crate) footer: f32,
    /// Width of a list label column (bullet or number).
    pub(crate) bullet: f32,
}

impl Scale {
    pub(crate) fn new(large_type: bool) -> Self {
        if large_type {
            Self {
                body: 17.0,
                title: 28.0,
                h2: 22.0,
                h3: 19.0,
                footer: 12.0,
                bullet: 26.0,
            }
        } else {
            Self {
                body: 12.0,
                title: 22.0,
                h2: 16.0,
                h3: 13.5,
                footer: 9.0,
                bullet: 18.0,
            }
        }
    }
}

/// Colours, all above 7:1 contrast on white (WCAG AAA for text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ink {
    Text,
    /// Secondary information (who said it, codes).
    Muted,
    /// Headings: a dark blue.
    Heading,
}

impl Ink {
    fn color(self) -> rgb::Color {
        match self {
            Ink::Text => rgb::Color::new(0, 0, 0),
            Ink::Muted => rgb::Color::new(68, 68, 68),
            Ink::Heading => rgb::Color::new(16, 52, 110),
        }
    }
}

/// How a piece of content belongs to the document: a leaf of the structure tree, or decoration.
#[derive(Clone, Copy, Debug)]
enum Mark {
    Leaf(usize),
    Artifact(ArtifactType),
}

#[derive(Debug)]
enum Op {
    Text {
        x: f32,
        baseline: f32,
        weight: Weight,
        size: f32,
        ink: Ink,
        text: String,
        mark: Mark,
    },
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        fill: Option<u8>,
        stroke: bool,
    },
}

/// The structure tree under construction; leaves are numbered and bound to krilla identifiers when drawn.
enum StructNode {
    Group(TagKind, Vec<StructNode>),
    Leaf(usize),
}

#[derive(Default)]
struct Tree {
    stack: Vec<(TagKind, Vec<StructNode>)>,
    root: Vec<StructNode>,
    leaves: usize,
}

impl Tree {
    fn open(&mut self, tag: impl Into<TagKind>) {
        self.stack.push((tag.into(), Vec::new()));
    }

    fn close(&mut self) {
        if let Some((tag, children)) = self.stack.pop() {
            self.push(StructNode::Group(tag, children));
        }
    }

    fn push(&mut self, node: StructNode) {
        match self.stack.last_mut() {
            Some((_, children)) => children.push(node),
            None => self.root.push(node),
        }
    }

    fn leaf(&mut self) -> usize {
        let id = self.leaves;
        self.leaves += 1;
        self.push(StructNode::Leaf(id));
        id
    }
}

fn to_krilla(node: StructNode, ids: &mut [Option<Identifier>]) -> Option<Node> {
    match node {
        StructNode::Leaf(i) => ids.get_mut(i).and_then(Option::take).map(Node::from),
        StructNode::Group(tag, children) => {
            let children: Vec<Node> = children
                .into_iter()
                .filter_map(|child| to_krilla(child, ids))
                .collect();
            // krilla drops empty groups; so do we, to keep the tree honest.
            (!children.is_empty()).then(|| TagGroup::with_children(tag, children).into())
        }
    }
}

struct OutlineEntry {
    level: u16,
    title: String,
    page: usize,
    y: f32,
}

/// A table row: its cells and their weights. The first cell of a body row is its header (`TH` with row
/// scope).
pub(crate) struct Row {
    pub(crate) cells: Vec<(Weight, String)>,
    /// Left indent of the first cell, for sub-rows (AGGIR sub-variables).
    pub(crate) indent: f32,
}

/// Places blocks on pages and records the structure tree.
pub(crate) struct Layout<'m> {
    m: &'m Metrics,
    pub(crate) scale: Scale,
    pages: Vec<Vec<Op>>,
    /// Top of the next line box, from the top of the page.
    y: f32,
    indent: f32,
    indents: Vec<f32>,
    tree: Tree,
    outline: Vec<OutlineEntry>,
}

impl<'m> Layout<'m> {
    pub(crate) fn new(m: &'m Metrics, large_type: bool) -> Self {
        Self {
            m,
            scale: Scale::new(large_type),
            pages: vec![Vec::new()],
            y: MARGIN_TOP,
            indent: 0.0,
            indents: Vec::new(),
            tree: Tree::default(),
            outline: Vec::new(),
        }
    }

    fn left(&self) -> f32 {
        MARGIN_X + self.indent
    }

    fn width(&self) -> f32 {
        PAGE_WIDTH - 2.0 * MARGIN_X - self.indent
    }

    fn bottom() -> f32 {
        PAGE_HEIGHT - MARGIN_BOTTOM
    }

    fn at_page_top(&self) -> bool {
        self.y <= MARGIN_TOP + 0.01
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
    }

    /// Starts a new page unless `height` points still fit on this one (or the page is empty: a block taller
    /// than a page is then split line by line rather than pushed forever).
    fn ensure(&mut self, height: f32) {
        if self.y + height > Self::bottom() && !self.at_page_top() {
            self.new_page();
        }
    }

    /// Vertical space; none at the top of a page, where it would only shift the content down.
    pub(crate) fn space(&mut self, height: f32) {
        if !self.at_page_top() {
            self.y += height;
        }
    }

    fn op(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    fn line_height(size: f32) -> f32 {
        size * LINE
    }

    /// Baseline of a line whose box starts at `top`: the text is centred in its box.
    fn baseline(&self, top: f32, size: f32) -> f32 {
        let ink = self.m.ascent() + self.m.descent();
        top + (Self::line_height(size) - size * ink) / 2.0 + size * self.m.ascent()
    }

    /// Emits one line at `x`, each run a span of the open structure element (or an artifact).
    fn emit_line(&mut self, line: &Line, x: f32, top: f32, size: f32, ink: Ink, artifact: bool) {
        let baseline = self.baseline(top, size);
        let mut x = x;
        for run in line {
            if run.text.is_empty() {
                continue;
            }
            let mark = if artifact {
                Mark::Artifact(ArtifactType::PaginationOther)
            } else {
                Mark::Leaf(self.tree.leaf())
            };
            let width = self.m.width(run.weight, size, &run.text);
            self.op(Op::Text {
                x,
                baseline,
                weight: run.weight,
                size,
                ink,
                text: run.text.clone(),
                mark,
            });
            x += width;
        }
    }

    /// Wraps `runs` to the current width and flows the lines down the page.
    fn flow(&mut self, runs: &[(Weight, &str)], size: f32, ink: Ink) {
        let cleaned: Vec<(Weight, String)> = runs
            .iter()
            .map(|(weight, text)| (*weight, self.m.clean(text)))
            .collect();
        let borrowed: Vec<(Weight, &str)> = cleaned.iter().map(|(w, t)| (*w, t.as_str())).collect();
        let lines = self.m.wrap(&borrowed, size, self.width());
        let height = Self::line_height(size);
        for line in &lines {
            self.ensure(height);
            let (x, top) = (self.left(), self.y);
            self.emit_line(line, x, top, size, ink, false);
            self.y += height;
        }
    }

    /// The document title (`H1`), first in the outline.
    pub(crate) fn title(&mut self, text: &str) {
        self.heading_at(1, text, self.scale.title);
        self.space(self.scale.body * 0.4);
    }

    /// A section heading (`H2`), kept with at least two lines of what follows.
    pub(crate) fn h2(&mut self, text: &str) {
        self.space(self.scale.h2 * 1.1);
        self.heading_at(2, text, self.scale.h2);
        self.space(self.scale.body * 0.3);
    }

    /// A sub-heading (`H3`), kept with at least two lines of what follows.
    pub(crate) fn h3(&mut self, text: &str) {
        self.space(self.scale.h3 * 0.9);
        self.heading_at(3, text, self.scale.h3);
        self.space(self.scale.body * 0.2);
    }

    fn heading_at(&mut self, level: u16, text: &str, size: f32) {
        let text = self.m.clean(text).replace('\n', " ");
        let lines = self
            .m
            .wrap(&[(Weight::Bold, &text)], size, self.width())
            .len() as f32;
        // A heading alone at the bottom of a page helps nobody.
        self.ensure(lines * Self::line_height(size) + 2.0 * Self::line_height(self.scale.body));
        self.outline.push(OutlineEntry {
            level,
            title: text.clone(),
            page: self.pages.len() - 1,
            y: self.y,
        });
        let level = NonZeroU16::new(level).unwrap_or(NonZeroU16::MIN);
        self.tree.open(Tag::Hn(level, Some(text.clone())));
        self.flow(&[(Weight::Bold, &text)], size, Ink::Heading);
        self.tree.close();
    }

    /// A paragraph (`P`) in body size, followed by `after` points of space.
    pub(crate) fn paragraph(&mut self, runs: &[(Weight, &str)], ink: Ink, after: f32) {
        self.tree.open(Tag::P);
        self.flow(runs, self.scale.body, ink);
        self.tree.close();
        self.space(after);
    }

    /// A short paragraph that must stand out (a result), bold at sub-heading size.
    pub(crate) fn emphasis(&mut self, text: &str) {
        self.tree.open(Tag::P);
        self.flow(&[(Weight::Bold, text)], self.scale.h2, Ink::Text);
        self.tree.close();
        self.space(self.small_gap());
    }

    /// A paragraph in body size, regular weight, followed by the usual space.
    pub(crate) fn text(&mut self, text: &str) {
        self.paragraph(&[(Weight::Regular, text)], Ink::Text, self.gap());
    }

    /// A "Label : value" paragraph, label in bold.
    pub(crate) fn field(&mut self, label: &str, value: &str) {
        let label = format!("{label}\u{a0}: ");
        self.paragraph(
            &[(Weight::Bold, &label), (Weight::Regular, value)],
            Ink::Text,
            self.gap(),
        );
    }

    /// Space between paragraphs.
    pub(crate) fn gap(&self) -> f32 {
        self.scale.body * 0.6
    }

    /// Space between the paragraphs of one list item.
    pub(crate) fn small_gap(&self) -> f32 {
        self.scale.body * 0.25
    }

    /// Opens a list (`L`); items follow, then [`Layout::list_end`].
    pub(crate) fn list_begin(&mut self, numbering: ListNumbering) {
        self.tree.open(Tag::L(numbering));
    }

    pub(crate) fn list_end(&mut self) {
        self.tree.close();
        self.space(self.gap() * 0.5);
    }

    /// Opens a list item: draws its label (`Lbl`) and opens its body (`LBody`), indented; the body's first
    /// block must start with no space before, so it shares the label's line.
    pub(crate) fn item_begin(&mut self, label: &str) {
        let size = self.scale.body;
        self.tree.open(Tag::LI);
        self.ensure(Self::line_height(size) * 2.0);
        self.tree.open(Tag::Lbl);
        let (x, top) = (self.left(), self.y);
        let line = vec![crate::text::Run {
            weight: Weight::Bold,
            text: label.to_owned(),
        }];
        self.emit_line(&line, x, top, size, Ink::Text, false);
        self.tree.close();
        self.tree.open(Tag::LBody);
        self.indents.push(self.indent);
        let label_width = self.m.width(Weight::Bold, size, label) + size * 0.5;
        self.indent += self.scale.bullet.max(label_width);
    }

    pub(crate) fn item_end(&mut self) {
        self.tree.close();
        self.tree.close();
        self.indent = self.indents.pop().unwrap_or(0.0);
        self.space(self.gap() * 0.6);
    }

    /// An empty box to sign in (decoration: its label says what it is for).
    pub(crate) fn signature_box(&mut self, height: f32) {
        self.ensure(height);
        let (x, y, width) = (self.left(), self.y, self.width().min(280.0));
        self.op(Op::Rect {
            x,
            y,
            width,
            height,
            fill: None,
            stroke: true,
        });
        self.y += height;
        self.space(self.gap());
    }

    /// Keeps the next `lines` body lines plus `extra` points together on one page.
    pub(crate) fn keep(&mut self, lines: f32, extra: f32) {
        self.ensure(lines * Self::line_height(self.scale.body) + extra);
    }

    /// A table (`Table` with `THead`/`TBody`): header cells are column headers, the first cell of each row
    /// is that row's header. Rows never split across pages; the header row is repeated (as decoration) on
    /// each new page. `fractions` are the column widths as parts of the text width.
    pub(crate) fn table(
        &mut self,
        summary: &str,
        headers: &[&str],
        fractions: &[f32],
        rows: &[Row],
    ) {
        let size = self.scale.body;
        let pad = size * 0.35;
        let width = self.width();
        let widths: Vec<f32> = fractions.iter().map(|f| f * width).collect();
        let header_row = Row {
            cells: headers
                .iter()
                .map(|h| (Weight::Bold, (*h).to_owned()))
                .collect(),
            indent: 0.0,
        };
        let header = self.row_lines(&header_row, &widths, pad, size);
        let header_height = Self::rows_height(&header, size, pad);

        self.tree
            .open(Tag::Table.with_summary(Some(summary.to_owned())));
        let first_height = rows
            .first()
            .map(|r| Self::rows_height(&self.row_lines(r, &widths, pad, size), size, pad))
            .unwrap_or(0.0);
        self.ensure(header_height + first_height);
        self.tree.open(Tag::THead);
        self.draw_row(&header, &widths, pad, size, header_height, true, false);
        self.tree.close();

        self.tree.open(Tag::TBody);
        for row in rows {
            let lines = self.row_lines(row, &widths, pad, size);
            let height = Self::rows_height(&lines, size, pad);
            if self.y + height > Self::bottom() && !self.at_page_top() {
                self.new_page();
                self.draw_row(&header, &widths, pad, size, header_height, true, true);
            }
            self.draw_row(&lines, &widths, pad, size, height, false, false);
        }
        self.tree.close();
        self.tree.close();
        self.space(self.gap());
    }

    /// Each cell's wrapped lines, with the first cell's indent.
    fn row_lines(&self, row: &Row, widths: &[f32], pad: f32, size: f32) -> Vec<(f32, Vec<Line>)> {
        row.cells
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, ((weight, cell), width))| {
                let indent = if i == 0 { row.indent } else { 0.0 };
                let text = self.m.clean(cell);
                let inner = (width - 2.0 * pad - indent).max(size);
                (indent, self.m.wrap(&[(*weight, &text)], size, inner))
            })
            .collect()
    }

    fn rows_height(cells: &[(f32, Vec<Line>)], size: f32, pad: f32) -> f32 {
        let lines = cells.iter().map(|(_, l)| l.len()).max().unwrap_or(1).max(1) as f32;
        lines * Self::line_height(size) + 2.0 * pad
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_row(
        &mut self,
        cells: &[(f32, Vec<Line>)],
        widths: &[f32],
        pad: f32,
        size: f32,
        height: f32,
        header: bool,
        repeated: bool,
    ) {
        let top = self.y;
        let left = self.left();
        let total: f32 = widths.iter().sum();
        if header {
            self.op(Op::Rect {
                x: left,
                y: top,
                width: total,
                height,
                fill: Some(232),
                stroke: false,
            });
        }
        if !repeated {
            self.tree.open(Tag::TR);
        }
        let mut x = left;
        for (i, ((indent, lines), width)) in cells.iter().zip(widths).enumerate() {
            if !repeated {
                if header {
                    self.tree.open(Tag::TH(TableHeaderScope::Column));
                } else if i == 0 {
                    self.tree.open(Tag::TH(TableHeaderScope::Row));
                } else {
                    self.tree.open(Tag::TD);
                }
            }
            let mut line_top = top + pad;
            let blank = lines.iter().flatten().all(|run| run.text.trim().is_empty());
            if blank && !repeated {
                // An empty cell still exists for a screen reader (krilla drops empty structure
                // elements, which would shift the following cells into the wrong columns).
                let space = vec![crate::text::Run {
                    weight: Weight::Regular,
                    text: " ".to_owned(),
                }];
                self.emit_line(&space, x + pad, line_top, size, Ink::Text, false);
            }
            for line in lines {
                self.emit_line(line, x + pad + indent, line_top, size, Ink::Text, repeated);
                line_top += Self::line_height(size);
            }
            if !repeated {
                self.tree.close();
            }
            x += width;
        }
        if !repeated {
            self.tree.close();
        }
        // A hairline under the row.
        self.op(Op::Rect {
            x: left,
            y: top + height - 0.5,
            width: total,
            height: 0.5,
            fill: Some(120),
            stroke: false,
        });
        self.y = top + height;
    }

    /// Draws the pages with krilla, adds the footers and the structure tree, and writes the PDF.
    ///
    /// `title` goes to the metadata (shown by readers instead of the file name, as PDF/UA asks);
    /// `footer` is printed at the bottom left of every page, next to "Page n / N".
    pub(crate) fn finish(mut self, title: &str, footer: &str) -> Result<Vec<u8>, PdfError> {
        // Close anything left open, so the tree matches what was drawn.
        while !self.tree.stack.is_empty() {
            self.tree.close();
        }
        let regular = Font::new(Data::from(REGULAR_TTF), 0).ok_or(PdfError::Font("DejaVuSans"))?;
        let bold = Font::new(Data::from(BOLD_TTF), 0).ok_or(PdfError::Font("DejaVuSans-Bold"))?;
        let configuration = ConfigurationBuilder::new()
            .with_accessibility_validator(Accessibility::UA1)
            .finish()
            .map_err(|e| PdfError::Configuration(format!("{e:?}")))?;
        let settings = SerializeSettings {
            configuration,
            enable_tagging: true,
            ..SerializeSettings::default()
        };
        let size = Size::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(PdfError::Layout("page size"))?;

        let mut document = Document::new_with(settings);
        let mut ids: Vec<Option<Identifier>> = vec![None; self.tree.leaves];
        let total = self.pages.len();
        let footer = self.m.clean(footer).replace('\n', " ");
        for (index, ops) in self.pages.iter().enumerate() {
            let mut page = document.start_page_with(PageSettings::new(size));
            let mut surface = page.surface();
            for op in ops {
                draw(&mut surface, op, &regular, &bold, &mut ids)?;
            }
            for op in self.footer(&footer, index + 1, total) {
                draw(&mut surface, &op, &regular, &bold, &mut ids)?;
            }
            surface.finish();
            page.finish();
        }

        let mut tree = TagTree::new().with_lang(Some("fr".to_owned()));
        for node in std::mem::take(&mut self.tree.root) {
            if let Some(node) = to_krilla(node, &mut ids) {
                tree.push(node);
            }
        }
        document.set_tag_tree(tree);
        document.set_outline(self.outline_tree());
        document.set_metadata(
            Metadata::new()
                .title(title.to_owned())
                .language("fr".to_owned())
                .creator("Parcours".to_owned()),
        );
        document
            .finish()
            .map_err(|e| PdfError::Write(e.to_string()))
    }

    /// "Page n / N" at the right, `text` at the left, cut to the room left by the page number.
    fn footer(&self, text: &str, page: usize, total: usize) -> Vec<Op> {
        let size = self.scale.footer;
        let number = format!("Page {page} / {total}");
        let number_width = self.m.width(Weight::Regular, size, &number);
        let right = PAGE_WIDTH - MARGIN_X;
        let room = right - MARGIN_X - number_width - 2.0 * size;
        let text = self.m.truncate(Weight::Regular, size, text, room);
        let footer = Mark::Artifact(ArtifactType::Footer);
        let mut ops = vec![Op::Rect {
            x: MARGIN_X,
            y: FOOTER_BASELINE - size * 1.6,
            width: right - MARGIN_X,
            height: 0.5,
            fill: Some(120),
            stroke: false,
        }];
        if !text.is_empty() {
            ops.push(Op::Text {
                x: MARGIN_X,
                baseline: FOOTER_BASELINE,
                weight: Weight::Regular,
                size,
                ink: Ink::Muted,
                text,
                mark: footer,
            });
        }
        ops.push(Op::Text {
            x: right - number_width,
            baseline: FOOTER_BASELINE,
            weight: Weight::Regular,
            size,
            ink: Ink::Muted,
            text: number,
            mark: footer,
        });
        ops
    }

    /// The bookmarks (PDF/UA asks for them): every heading, nested by level.
    fn outline_tree(&mut self) -> Outline {
        let mut outline = Outline::new();
        let mut stack: Vec<(u16, OutlineNode)> = Vec::new();
        let attach =
            |stack: &mut Vec<(u16, OutlineNode)>, outline: &mut Outline, node: OutlineNode| {
                match stack.last_mut() {
                    Some((_, parent)) => parent.push_child(node),
                    None => outline.push_child(node),
                }
            };
        for entry in std::mem::take(&mut self.outline) {
            while stack.last().is_some_and(|(level, _)| *level >= entry.level) {
                if let Some((_, done)) = stack.pop() {
                    attach(&mut stack, &mut outline, done);
                }
            }
            let destination = XyzDestination::new(entry.page, Point::from_xy(MARGIN_X, entry.y));
            stack.push((entry.level, OutlineNode::new(entry.title, destination)));
        }
        while let Some((_, done)) = stack.pop() {
            attach(&mut stack, &mut outline, done);
        }
        outline
    }
}

fn draw(
    surface: &mut Surface<'_>,
    op: &Op,
    regular: &Font,
    bold: &Font,
    ids: &mut [Option<Identifier>],
) -> Result<(), PdfError> {
    match op {
        Op::Text {
            x,
            baseline,
            weight,
            size,
            ink,
            text,
            mark,
        } => {
            let tag = match mark {
                Mark::Leaf(_) => ContentTag::Span(SpanTag::empty()),
                Mark::Artifact(kind) => ContentTag::Artifact(Artifact::with_kind(*kind)),
            };
            let id = surface.start_tagged(tag);
            surface.set_fill(Some(Fill {
                paint: ink.color().into(),
                ..Fill::default()
            }));
            let font = match weight {
                Weight::Regular => regular.clone(),
                Weight::Bold => bold.clone(),
            };
            surface.draw_text(
                Point::from_xy(*x, *baseline),
                font,
                *size,
                text,
                false,
                TextDirection::Auto,
            );
            surface.end_tagged();
            if let Mark::Leaf(i) = mark
                && let Some(slot) = ids.get_mut(*i)
            {
                *slot = Some(id);
            }
        }
        Op::Rect {
            x,
            y,
            width,
            height,
            fill,
            stroke,
        } => {
            let rect =
                Rect::from_xywh(*x, *y, *width, *height).ok_or(PdfError::Layout("rectangle"))?;
            let mut path = PathBuilder::new();
            path.push_rect(rect);
            let path = path.finish().ok_or(PdfError::Layout("rectangle"))?;
            surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                ArtifactType::Layout,
            )));
            surface.set_fill(fill.map(|gray| Fill {
                paint: rgb::Color::new(gray, gray, gray).into(),
                ..Fill::default()
            }));
            surface.set_stroke(stroke.then(|| Stroke {
                paint: rgb::Color::new(90, 90, 90).into(),
                width: 1.0,
                ..Stroke::default()
            }));
            surface.draw_path(&path);
            surface.set_stroke(None);
            surface.end_tagged();
        }
    }
    Ok(())
}
