//! The index schema and its analyzer.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::schema::{Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer};
use tantivy::{Index, SegmentReader};

/// The analyzer shared by indexing and querying. Its name is in the schema, so a new name (a changed analyzer)
/// rebuilds an index made with the old one.
pub const ANALYZER: &str = "arrow-cjk";

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

/// Bytes of the shortest word the index drops.
pub(crate) const LONGEST_WORD: usize = 64;

pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(crate::words::WordTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// A field's norms as tantivy's scorers read them: a field without norms scores as if every value had one token.
pub(crate) fn norms(reader: &SegmentReader, field: Field) -> tantivy::Result<FieldNormReader> {
    Ok(reader.fieldnorms_readers().get_field(field)?.unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1)))
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
    // Untokenized, for exact lookups and filters; no field norms (one value per field: they would only cost
    // a byte per document each).
    let raw = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        )
    };
    let fields = Fields {
        key: b.add_u64_field("key", NumericOptions::default().set_indexed().set_fast()),
        // Stored only: hits are resolved through `key`, and an indexed id would add one unique term per work
        // to the term dictionary (a measurable share of indexing time) that no query reads.
        id: b.add_text_field("id", TextOptions::default().set_stored()),
        title: b.add_text_field("title", text(true)),
        abstract_text: b.add_text_field("abstract", text(true)),
        authors: b.add_text_field("authors", text(true)),
        venue: b.add_text_field("venue", text(true)),
        pub_type: b.add_text_field("type", text(false)),
        year: b.add_i64_field("year", NumericOptions::default().set_indexed().set_fast()),
        venue_exact: b.add_text_field("venue_exact", raw() | FAST),
        type_exact: b.add_text_field("type_exact", raw() | FAST),
        doi: b.add_text_field("doi", raw()),
        arxiv: b.add_text_field("arxiv", raw()),
    };
    (b.build(), fields)
}
