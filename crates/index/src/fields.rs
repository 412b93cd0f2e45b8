//! The index schema and its analyzer.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
use tantivy::Index;

/// The analyzer shared by indexing and querying.
pub const ANALYZER: &str = "arrow";

#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    /// The store's key for the work: how hits are turned back into works.
    pub key: Field,
    pub id: Field,
    pub title: Field,
    pub abstract_text: Field,
    pub authors: Field,
    pub venue: Field,
    pub pub_type: Field,
    pub year: Field,
    /// Raw venue and type, for facets and exact filters.
    pub venue_exact: Field,
    pub type_exact: Field,
    pub doi: Field,
    pub arxiv: Field,
}

pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub(crate) fn register_analyzers(index: &Index) {
    index.tokenizers().register(ANALYZER, analyzer());
}

pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |positions: bool| {
        let option = if positions { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
        TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer(ANALYZER).set_index_option(option))
    };
    let fields = Fields {
        key: b.add_u64_field("key", NumericOptions::default().set_indexed().set_fast()),
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text(true)),
        abstract_text: b.add_text_field("abstract", text(true)),
        authors: b.add_text_field("authors", text(true)),
        venue: b.add_text_field("venue", text(true)),
        pub_type: b.add_text_field("type", text(false)),
        year: b.add_i64_field("year", INDEXED | FAST),
        venue_exact: b.add_text_field("venue_exact", STRING | FAST),
        type_exact: b.add_text_field("type_exact", STRING | FAST),
        doi: b.add_text_field("doi", STRING),
        arxiv: b.add_text_field("arxiv", STRING),
    };
    (b.build(), fields)
}
