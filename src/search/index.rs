//! The tantivy index of licence applications: schema, writes with an event-sequence payload,
//! and queries.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use tantivy::collector::sort_key::SortByStaticFastValue;
use tantivy::collector::TopDocs;
use tantivy::directory::error::OpenDirectoryError;
use tantivy::directory::MmapDirectory;
use tantivy::query::{AllQuery, BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING,
};
use tantivy::{
    Index, IndexReader, IndexSettings, IndexWriter, Order, ReloadPolicy, TantivyDocument,
    TantivyError, Term,
};

use super::tokenizer::{normalize, phrase_grams, CjkNgramTokenizer, NGRAM_TOKENIZER_NAME};

/// Total memory budget of the index writer, shared by its indexing threads. `Index::writer` in
/// tantivy 0.27 gives each thread at least 15 MB, so this budget runs at most two threads.
const WRITER_MEMORY_BUDGET_BYTES: usize = 32_000_000;

const ID_FIELD: &str = "id";
const SUBMITTED_AT_FIELD: &str = "submitted_at";

/// One licence application as the search index stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationDoc {
    /// Application id, the key that [`SearchIndex::apply`] replaces documents by.
    pub id: u64,
    /// Human-readable application number, such as `SQ-2026-32-000001`.
    pub number: String,
    /// Applicant company name, such as `江苏某某压力容器制造有限公司`.
    pub applicant_name: String,
    /// 18-character unified social credit code (统一社会信用代码) of the applicant.
    pub credit_code: String,
    /// Names of the requested sub-items, joined by `；`.
    pub sub_items: String,
    /// Licensing authority: 10 for SAMR, otherwise the 2-digit province code.
    pub authority_code: u64,
    /// Id of the account that owns the application.
    pub applicant_account: u64,
    /// Status label in Chinese, such as `待受理`.
    pub status: String,
    /// Submission time in Unix seconds.
    pub submitted_at: i64,
}

/// A search request. All conditions must hold for a document to match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Text typed by the user. Whitespace separates terms, and each term must occur as a
    /// substring of one of the free-text fields or equal the whole number or credit code. Other
    /// separators inside a term match any separators of the same count, and a term of
    /// separators only is ignored.
    /// Empty text matches every document.
    pub text: String,
    /// Only documents of this licensing authority.
    pub authority_code: Option<u64>,
    /// Only documents owned by this account.
    pub applicant_account: Option<u64>,
    /// Maximum number of ids returned.
    pub limit: usize,
}

/// Errors of the search index. Each one names the index directory.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index directory or one of its parents could not be created.
    #[error("failed to create search index directory {}", .path.display())]
    CreateDirectory {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Tantivy could not open the index directory.
    #[error("failed to open search index directory {}", .path.display())]
    OpenDirectory {
        path: PathBuf,
        #[source]
        source: OpenDirectoryError,
    },

    /// The directory contains an index written with another schema, by another xuke version.
    #[error(
        "search index at {} has a different schema than this version of xuke expects. \
         Remove the directory so that the index is rebuilt from the store",
        .path.display()
    )]
    SchemaMismatch { path: PathBuf },

    /// The payload of the last commit is not a decimal event sequence number.
    #[error(
        "last commit of search index at {} has payload {payload:?}, expected an event sequence \
         number. Remove the directory so that the index is rebuilt from the store",
        .path.display()
    )]
    InvalidPayload { path: PathBuf, payload: String },

    /// A tantivy operation failed. `operation` is a verb phrase such as "commit".
    #[error("failed to {operation} search index at {}", .path.display())]
    Tantivy {
        operation: &'static str,
        path: PathBuf,
        #[source]
        source: TantivyError,
    },
}

/// Fields of the index schema.
#[derive(Clone, Copy, Debug)]
struct Fields {
    id: Field,
    authority_code: Field,
    applicant_account: Field,
    submitted_at: Field,
    number: Field,
    applicant_name: Field,
    credit_code: Field,
    sub_items: Field,
    status: Field,
    number_exact: Field,
    credit_code_exact: Field,
}

impl Fields {
    /// Fields tokenized by [`CjkNgramTokenizer`], searched by substring.
    fn ngram_fields(&self) -> [Field; 5] {
        [
            self.number,
            self.applicant_name,
            self.credit_code,
            self.sub_items,
            self.status,
        ]
    }

    /// Fields indexed as one normalized term, searched by whole value.
    fn exact_fields(&self) -> [Field; 2] {
        [self.number_exact, self.credit_code_exact]
    }
}

/// Builds the index schema. Nothing is stored because the redb store has the data, and a search
/// returns ids only.
fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let ngram_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(NGRAM_TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );

    let fields = Fields {
        id: builder.add_u64_field(ID_FIELD, INDEXED | FAST),
        authority_code: builder.add_u64_field("authority_code", INDEXED | FAST),
        applicant_account: builder.add_u64_field("applicant_account", INDEXED | FAST),
        submitted_at: builder.add_i64_field(SUBMITTED_AT_FIELD, FAST),
        number: builder.add_text_field("number", ngram_options.clone()),
        applicant_name: builder.add_text_field("applicant_name", ngram_options.clone()),
        credit_code: builder.add_text_field("credit_code", ngram_options.clone()),
        sub_items: builder.add_text_field("sub_items", ngram_options.clone()),
        status: builder.add_text_field("status", ngram_options),
        number_exact: builder.add_text_field("number_exact", STRING),
        credit_code_exact: builder.add_text_field("credit_code_exact", STRING),
    };
    (builder.build(), fields)
}

/// Search index of licence applications in one directory.
///
/// It can be shared between threads behind an `Arc`. Writes are serialized by a mutex around
/// the single [`IndexWriter`], and searches read the last reloaded commit without locking.
pub struct SearchIndex {
    path: PathBuf,
    index: Index,
    fields: Fields,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if missing.
    ///
    /// Fails with [`SearchError::SchemaMismatch`] if `dir` holds an index with another schema,
    /// and with [`SearchError::Tantivy`] if another writer, in this process or another one,
    /// holds the directory's lock.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        let path = dir.to_path_buf();
        std::fs::create_dir_all(dir).map_err(|source| SearchError::CreateDirectory {
            path: path.clone(),
            source,
        })?;
        let directory = MmapDirectory::open(dir).map_err(|source| SearchError::OpenDirectory {
            path: path.clone(),
            source,
        })?;
        let tantivy_error = |operation: &'static str| {
            let path = path.clone();
            move |source: TantivyError| SearchError::Tantivy {
                operation,
                path,
                source,
            }
        };

        let (schema, fields) = build_schema();
        let exists = Index::exists(&directory)
            .map_err(TantivyError::from)
            .map_err(tantivy_error("open"))?;
        let index = if exists {
            let index = Index::open(directory).map_err(tantivy_error("open"))?;
            if index.schema() != schema {
                return Err(SearchError::SchemaMismatch { path });
            }
            index
        } else {
            Index::create(directory, schema, IndexSettings::default())
                .map_err(tantivy_error("create"))?
        };
        index
            .tokenizers()
            .register(NGRAM_TOKENIZER_NAME, CjkNgramTokenizer::default());

        let writer = index
            .writer(WRITER_MEMORY_BUDGET_BYTES)
            .map_err(tantivy_error("open a writer for"))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy_error("open a reader for"))?;

        let search_index = SearchIndex {
            path,
            index,
            fields,
            writer: Mutex::new(writer),
            reader,
        };
        tracing::info!(
            path = %search_index.path.display(),
            created = !exists,
            num_docs = search_index.num_docs(),
            "search index opened"
        );
        Ok(search_index)
    }

    /// Returns the event sequence number stored by the last commit, or `None` if the index was
    /// never written or was last [cleared](SearchIndex::clear).
    pub fn last_event_seq(&self) -> Result<Option<u64>, SearchError> {
        let metas = self
            .index
            .load_metas()
            .map_err(|source| self.tantivy_error("read the last commit of", source))?;
        let Some(payload) = metas.payload else {
            return Ok(None);
        };
        match payload.parse::<u64>() {
            Ok(seq) => Ok(Some(seq)),
            Err(_) => Err(SearchError::InvalidPayload {
                path: self.path.clone(),
                payload,
            }),
        }
    }

    /// Inserts or replaces each document by id, then commits with `last_event_seq` as payload
    /// and reloads the reader, so the changes are searchable when this returns.
    ///
    /// If `docs` contains the same id twice, the later document wins. If staging or committing
    /// fails, the changes of this call are rolled back. If only the reload fails, the commit
    /// remains, and applying the same documents again is harmless.
    pub fn apply(&self, docs: &[ApplicationDoc], last_event_seq: u64) -> Result<(), SearchError> {
        let mut writer = self.lock_writer()?;
        let staged = self.stage(&writer, docs);
        let committed = staged.and_then(|()| commit(&mut writer, Some(last_event_seq)));
        if let Err(source) = committed {
            self.roll_back(&mut writer);
            return Err(self.tantivy_error("write to", source));
        }
        drop(writer);
        self.reload()
    }

    /// Deletes every document and commits with no payload, so that
    /// [`last_event_seq`](SearchIndex::last_event_seq) returns `None` until the next
    /// [`apply`](SearchIndex::apply).
    pub fn clear(&self) -> Result<(), SearchError> {
        let mut writer = self.lock_writer()?;
        let committed = writer
            .delete_all_documents()
            .and_then(|_| commit(&mut writer, None));
        if let Err(source) = committed {
            self.roll_back(&mut writer);
            return Err(self.tantivy_error("clear", source));
        }
        drop(writer);
        tracing::info!(path = %self.path.display(), "search index cleared");
        self.reload()
    }

    /// Returns the ids of the matching applications, newest `submitted_at` first and, for
    /// equal times, highest id first. Returns at most `query.limit` ids.
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<u64>, SearchError> {
        if query.limit == 0 {
            return Ok(Vec::new());
        }
        let tantivy_query = self.build_query(query);
        let newest_first = (
            (
                SortByStaticFastValue::<i64>::for_field(SUBMITTED_AT_FIELD),
                Order::Desc,
            ),
            (
                SortByStaticFastValue::<u64>::for_field(ID_FIELD),
                Order::Desc,
            ),
        );
        let collector = TopDocs::with_limit(query.limit).order_by(newest_first);
        let hits = self
            .reader
            .searcher()
            .search(&tantivy_query, &collector)
            .map_err(|source| self.tantivy_error("search", source))?;

        // Every document written by `apply` has an id, so `None` does not occur.
        let ids = hits
            .into_iter()
            .filter_map(|((_submitted_at, id), _address)| id)
            .collect();
        Ok(ids)
    }

    /// Returns the number of documents in the last reloaded commit.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Returns the directory of the index.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Locks the writer. If a thread panicked while holding it, the uncommitted changes of
    /// that thread are rolled back before the writer is used again.
    fn lock_writer(&self) -> Result<MutexGuard<'_, IndexWriter>, SearchError> {
        match self.writer.lock() {
            Ok(writer) => Ok(writer),
            Err(poisoned) => {
                tracing::warn!(
                    path = %self.path.display(),
                    "search index writer lock poisoned by a panic, rolling back uncommitted changes"
                );
                let mut writer = poisoned.into_inner();
                writer
                    .rollback()
                    .map_err(|source| self.tantivy_error("roll back", source))?;
                self.writer.clear_poison();
                Ok(writer)
            }
        }
    }

    /// Queues a delete by id and an add for each document.
    fn stage(&self, writer: &IndexWriter, docs: &[ApplicationDoc]) -> tantivy::Result<()> {
        for doc in docs {
            writer.delete_term(Term::from_field_u64(self.fields.id, doc.id));
            writer.add_document(self.to_document(doc))?;
        }
        Ok(())
    }

    /// Discards uncommitted changes after a failed write. A rollback failure is logged, because
    /// the caller returns the error of the write itself.
    fn roll_back(&self, writer: &mut IndexWriter) {
        if let Err(error) = writer.rollback() {
            tracing::error!(
                path = %self.path.display(),
                %error,
                "failed to roll back search index writer after a failed write"
            );
        }
    }

    fn reload(&self) -> Result<(), SearchError> {
        self.reader
            .reload()
            .map_err(|source| self.tantivy_error("reload the reader of", source))
    }

    fn to_document(&self, doc: &ApplicationDoc) -> TantivyDocument {
        let fields = &self.fields;
        let mut document = TantivyDocument::default();
        document.add_u64(fields.id, doc.id);
        document.add_u64(fields.authority_code, doc.authority_code);
        document.add_u64(fields.applicant_account, doc.applicant_account);
        document.add_i64(fields.submitted_at, doc.submitted_at);
        document.add_text(fields.number, &doc.number);
        document.add_text(fields.applicant_name, &doc.applicant_name);
        document.add_text(fields.credit_code, &doc.credit_code);
        document.add_text(fields.sub_items, &doc.sub_items);
        document.add_text(fields.status, &doc.status);
        document.add_text(fields.number_exact, normalize(doc.number.trim()));
        document.add_text(fields.credit_code_exact, normalize(doc.credit_code.trim()));
        document
    }

    fn build_query(&self, query: &SearchQuery) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = query
            .text
            .split_whitespace()
            .filter_map(|term| self.term_query(term))
            .map(|term_query| (Occur::Must, term_query))
            .collect();
        if let Some(code) = query.authority_code {
            clauses.push((Occur::Must, u64_query(self.fields.authority_code, code)));
        }
        if let Some(account) = query.applicant_account {
            clauses.push((
                Occur::Must,
                u64_query(self.fields.applicant_account, account),
            ));
        }

        if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    }

    /// Builds the query for one whitespace-free term: a substring of any n-gram field, or the
    /// whole value of an exact field.
    ///
    /// NOTE: a term without letters or digits, such as `-` or `（）`, returns `None` and so is
    /// ignored, because the index has no token for separators. For the same reason, separators
    /// inside a term match any separators of the same count in the document (`SQ-2026` matches
    /// `SQ 2026`, `场（厂）内` matches `场(厂)内`), and separators at either end of a term are
    /// ignored.
    fn term_query(&self, term: &str) -> Option<Box<dyn Query>> {
        let grams = phrase_grams(term);
        if grams.is_empty() {
            return None;
        }

        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for field in self.fields.ngram_fields() {
            alternatives.push((Occur::Should, grams_query(field, &grams)));
        }
        let exact_value = normalize(term);
        for field in self.fields.exact_fields() {
            let exact_term = Term::from_field_text(field, &exact_value);
            let exact_query = TermQuery::new(exact_term, IndexRecordOption::Basic);
            alternatives.push((Occur::Should, Box::new(exact_query)));
        }
        Some(Box::new(BooleanQuery::new(alternatives)))
    }

    fn tantivy_error(&self, operation: &'static str, source: TantivyError) -> SearchError {
        SearchError::Tantivy {
            operation,
            path: self.path.clone(),
            source,
        }
    }
}

/// Commits the staged changes with the event sequence number as payload, if any.
fn commit(writer: &mut IndexWriter, last_event_seq: Option<u64>) -> tantivy::Result<()> {
    let mut prepared = writer.prepare_commit()?;
    if let Some(seq) = last_event_seq {
        prepared.set_payload(&seq.to_string());
    }
    prepared.commit()?;
    Ok(())
}

/// Builds a query for n-grams from [`phrase_grams`]: a term query for a single n-gram, otherwise
/// a phrase query that keeps their relative positions.
fn grams_query(field: Field, grams: &[(usize, String)]) -> Box<dyn Query> {
    if let [(_, text)] = grams {
        let term = Term::from_field_text(field, text);
        return Box::new(TermQuery::new(term, IndexRecordOption::Basic));
    }
    let terms = grams
        .iter()
        .map(|(position, text)| (*position, Term::from_field_text(field, text)))
        .collect();
    Box::new(PhraseQuery::new_with_offset(terms))
}

fn u64_query(field: Field, value: u64) -> Box<dyn Query> {
    let term = Term::from_field_u64(field, value);
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use tempfile::TempDir;

    use super::*;

    /// Test application with columns id, number, applicant name, credit code, sub-items,
    /// authority, account, status and submitted_at.
    type Row = (
        u64,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        u64,
        u64,
        &'static str,
        i64,
    );

    const ROWS: [Row; 6] = [
        (
            1,
            "SQ-2026-32-000001",
            "江苏某某压力容器制造有限公司",
            "91320582MA1N8Q3X5K",
            "固定式压力容器；气瓶",
            32,
            1001,
            "待受理",
            1_767_000_100,
        ),
        (
            2,
            "SQ-2026-33-000002",
            "浙江某某锅炉制造有限公司",
            "91330100MA2B7C8D9E",
            "锅炉",
            33,
            1002,
            "已受理",
            1_767_000_200,
        ),
        (
            3,
            "SQ-2026-10-000003",
            "上海压力管道安装工程有限公司",
            "91310000MA1K4L5M6N",
            "压力管道",
            10,
            1003,
            "待受理",
            1_767_000_300,
        ),
        (
            4,
            "SQ-2026-32-000004",
            "江苏特种设备检验检测研究院",
            "12320000466001234X",
            "电梯",
            32,
            1001,
            "不予受理",
            1_767_000_400,
        ),
        (
            5,
            "SQ-2026-37-000005",
            "某某容器制造厂",
            "91370200MA3C9D8E7F",
            "移动式压力容器",
            37,
            1004,
            "已受理",
            1_767_000_050,
        ),
        (
            6,
            "SQ-2026-37-000006",
            "山东省某某特种设备压力容器制造安装维修改造有限公司",
            "91370100MA3D1E2F3G",
            "起重机械；场（厂）内专用机动车辆",
            37,
            1005,
            "待受理",
            1_767_000_600,
        ),
    ];

    fn sample_docs() -> Vec<ApplicationDoc> {
        ROWS.iter()
            .map(
                |&(id, number, name, credit, sub_items, authority, account, status, submitted)| {
                    ApplicationDoc {
                        id,
                        number: number.to_string(),
                        applicant_name: name.to_string(),
                        credit_code: credit.to_string(),
                        sub_items: sub_items.to_string(),
                        authority_code: authority,
                        applicant_account: account,
                        status: status.to_string(),
                        submitted_at: submitted,
                    }
                },
            )
            .collect()
    }

    fn open_sample() -> (TempDir, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        index.apply(&sample_docs(), 6).unwrap();
        (dir, index)
    }

    fn text_query(text: &str) -> SearchQuery {
        SearchQuery {
            text: text.to_string(),
            limit: 100,
            ..SearchQuery::default()
        }
    }

    fn search_text(index: &SearchIndex, text: &str) -> Vec<u64> {
        index.search(&text_query(text)).unwrap()
    }

    /// Returns the ids of the documents with a free-text field that contains `needle`, ignoring
    /// case, by a plain scan.
    fn scan_ids(docs: &[ApplicationDoc], needle: &str) -> BTreeSet<u64> {
        let needle = needle.to_lowercase();
        docs.iter()
            .filter(|doc| {
                [
                    &doc.number,
                    &doc.applicant_name,
                    &doc.credit_code,
                    &doc.sub_items,
                    &doc.status,
                ]
                .iter()
                .any(|field| field.to_lowercase().contains(&needle))
            })
            .map(|doc| doc.id)
            .collect()
    }

    /// Returns every substring of 1 to 4 characters of `text` that has only letters and digits.
    fn short_substrings(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let mut substrings = Vec::new();
        for start in 0..chars.len() {
            for len in 1..=4 {
                let Some(window) = chars.get(start..start + len) else {
                    break;
                };
                if window.iter().all(|c| c.is_alphanumeric()) {
                    substrings.push(window.iter().collect());
                }
            }
        }
        substrings
    }

    #[test]
    fn substrings_match_scan() {
        let (_dir, index) = open_sample();
        let docs = sample_docs();
        let mut needles = BTreeSet::new();
        for doc in &docs {
            for field in [
                &doc.number,
                &doc.applicant_name,
                &doc.credit_code,
                &doc.sub_items,
                &doc.status,
            ] {
                needles.extend(short_substrings(field));
            }
        }
        assert!(needles.len() > 500, "only {} needles", needles.len());

        for needle in &needles {
            let found: BTreeSet<u64> = search_text(&index, needle).into_iter().collect();
            assert_eq!(found, scan_ids(&docs, needle), "query {needle:?}");
        }
    }

    #[test]
    fn substring_across_word_boundary() {
        let (_dir, index) = open_sample();
        assert_eq!(search_text(&index, "力容器制"), vec![6, 1]);
        assert_eq!(search_text(&index, "器制造"), vec![6, 1, 5]);
        assert_eq!(search_text(&index, "某压"), vec![1]);
        assert_eq!(search_text(&index, "司"), vec![6, 3, 2, 1]);
    }

    #[test]
    fn absent_substring_matches_nothing() {
        let (_dir, index) = open_sample();
        assert!(search_text(&index, "容压").is_empty());
        assert!(search_text(&index, "广东").is_empty());
        // Both characters occur in doc 1, but not next to each other.
        assert!(search_text(&index, "苏压").is_empty());
    }

    #[test]
    fn whole_long_name_matches() {
        let (_dir, index) = open_sample();
        let name = "山东省某某特种设备压力容器制造安装维修改造有限公司";
        assert!(name.len() > 40);
        assert_eq!(search_text(&index, name), vec![6]);
    }

    #[test]
    fn space_separated_terms_all_match() {
        let (_dir, index) = open_sample();
        assert_eq!(search_text(&index, "江苏 压力"), vec![1]);
        assert_eq!(search_text(&index, "江苏 待受理"), vec![1]);
        assert_eq!(search_text(&index, "压力 37"), vec![6, 5]);
        assert_eq!(search_text(&index, "  压力\u{3000}容器  "), vec![6, 1, 5]);
        assert_eq!(search_text(&index, "SQ 2026 32"), vec![4, 1]);
        assert!(search_text(&index, "江苏 锅炉").is_empty());
    }

    #[test]
    fn credit_code_ascii_substring() {
        let (_dir, index) = open_sample();
        assert_eq!(search_text(&index, "MA1N8"), vec![1]);
        assert_eq!(search_text(&index, "ma1n8"), vec![1]);
        assert_eq!(search_text(&index, "ＭＡ１Ｎ"), vec![1]);
        assert_eq!(search_text(&index, "9137"), vec![6, 5]);
        assert_eq!(search_text(&index, "234X"), vec![4]);
    }

    #[test]
    fn whole_identifiers_match() {
        let (_dir, index) = open_sample();
        assert_eq!(search_text(&index, "91320582MA1N8Q3X5K"), vec![1]);
        assert_eq!(search_text(&index, "sq-2026-10-000003"), vec![3]);
    }

    #[test]
    fn number_parts_match() {
        let (_dir, index) = open_sample();
        assert_eq!(search_text(&index, "SQ-2026-32"), vec![4, 1]);
        assert_eq!(search_text(&index, "000003"), vec![3]);
        assert_eq!(search_text(&index, "2026"), vec![6, 4, 3, 2, 1, 5]);
    }

    #[test]
    fn separators_in_query_match_any_separator() {
        let (_dir, index) = open_sample();
        assert_eq!(search_text(&index, "场（厂）内"), vec![6]);
        assert_eq!(search_text(&index, "场-厂-内"), vec![6]);
        // `场` and `内` are four characters apart in the document but two in the query.
        assert!(search_text(&index, "场-内").is_empty());
    }

    #[test]
    fn separator_only_terms_are_ignored() {
        let (_dir, index) = open_sample();
        assert_eq!(search_text(&index, "（）").len(), 6);
        assert_eq!(search_text(&index, "- 锅炉 ；"), vec![2]);
    }

    #[test]
    fn empty_text_returns_newest_first() {
        let (_dir, index) = open_sample();
        assert_eq!(search_text(&index, ""), vec![6, 4, 3, 2, 1, 5]);
        assert_eq!(search_text(&index, "   "), vec![6, 4, 3, 2, 1, 5]);
    }

    #[test]
    fn limit_keeps_newest() {
        let (_dir, index) = open_sample();
        let query = SearchQuery {
            limit: 2,
            ..text_query("")
        };
        assert_eq!(index.search(&query).unwrap(), vec![6, 4]);
        let query = SearchQuery {
            limit: 0,
            ..text_query("")
        };
        assert!(index.search(&query).unwrap().is_empty());
    }

    #[test]
    fn equal_times_order_by_id() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let mut docs = sample_docs();
        for doc in &mut docs {
            doc.submitted_at = 1_767_000_000;
        }
        index.apply(&docs, 1).unwrap();
        assert_eq!(search_text(&index, ""), vec![6, 5, 4, 3, 2, 1]);
    }

    #[test]
    fn filter_by_authority() {
        let (_dir, index) = open_sample();
        let query = SearchQuery {
            authority_code: Some(32),
            ..text_query("")
        };
        assert_eq!(index.search(&query).unwrap(), vec![4, 1]);

        let query = SearchQuery {
            authority_code: Some(32),
            ..text_query("压力")
        };
        assert_eq!(index.search(&query).unwrap(), vec![1]);

        let query = SearchQuery {
            authority_code: Some(44),
            ..text_query("")
        };
        assert!(index.search(&query).unwrap().is_empty());
    }

    #[test]
    fn filter_by_account() {
        let (_dir, index) = open_sample();
        let query = SearchQuery {
            applicant_account: Some(1001),
            ..text_query("")
        };
        assert_eq!(index.search(&query).unwrap(), vec![4, 1]);

        let query = SearchQuery {
            applicant_account: Some(1001),
            ..text_query("检验")
        };
        assert_eq!(index.search(&query).unwrap(), vec![4]);

        let query = SearchQuery {
            applicant_account: Some(1001),
            ..text_query("锅炉")
        };
        assert!(index.search(&query).unwrap().is_empty());
    }

    #[test]
    fn filters_combine() {
        let (_dir, index) = open_sample();
        let query = SearchQuery {
            authority_code: Some(37),
            applicant_account: Some(1004),
            ..text_query("")
        };
        assert_eq!(index.search(&query).unwrap(), vec![5]);

        let query = SearchQuery {
            authority_code: Some(32),
            applicant_account: Some(1004),
            ..text_query("")
        };
        assert!(index.search(&query).unwrap().is_empty());
    }

    #[test]
    fn apply_replaces_by_id() {
        let (_dir, index) = open_sample();
        let mut changed = sample_docs()[0].clone();
        changed.status = "已受理".to_string();
        index.apply(&[changed], 7).unwrap();

        assert_eq!(index.num_docs(), 6);
        assert_eq!(search_text(&index, "待受理"), vec![6, 3]);
        assert_eq!(search_text(&index, "已受理"), vec![2, 1, 5]);
        assert_eq!(search_text(&index, "江苏某某"), vec![1]);
    }

    #[test]
    fn duplicate_id_in_batch_keeps_last() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let first = sample_docs()[0].clone();
        let mut second = first.clone();
        second.applicant_name = "江苏另一压力容器有限公司".to_string();
        index.apply(&[first, second], 2).unwrap();

        assert_eq!(index.num_docs(), 1);
        assert_eq!(search_text(&index, "另一"), vec![1]);
        assert!(search_text(&index, "某某").is_empty());
    }

    #[test]
    fn payload_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let index = SearchIndex::open(dir.path()).unwrap();
            assert_eq!(index.last_event_seq().unwrap(), None);
            index.apply(&sample_docs(), 41).unwrap();
            index.apply(&[], 42).unwrap();
            assert_eq!(index.last_event_seq().unwrap(), Some(42));
        }

        let reopened = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(reopened.last_event_seq().unwrap(), Some(42));
        assert_eq!(reopened.num_docs(), 6);
        assert_eq!(search_text(&reopened, "锅炉"), vec![2]);
    }

    #[test]
    fn clear_removes_everything() {
        let (_dir, index) = open_sample();
        index.clear().unwrap();

        assert_eq!(index.num_docs(), 0);
        assert!(search_text(&index, "").is_empty());
        assert!(search_text(&index, "压力").is_empty());
        assert_eq!(index.last_event_seq().unwrap(), None);

        index.apply(&sample_docs()[1..2], 3).unwrap();
        assert_eq!(search_text(&index, ""), vec![2]);
        assert_eq!(index.last_event_seq().unwrap(), Some(3));
    }

    #[test]
    fn open_creates_missing_directory() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("data").join("search");
        let index = SearchIndex::open(&nested).unwrap();
        assert!(nested.is_dir());
        assert_eq!(index.path(), nested);
        assert_eq!(index.num_docs(), 0);
    }

    #[test]
    fn open_rejects_other_schema() {
        let dir = tempfile::tempdir().unwrap();
        let mut builder = Schema::builder();
        builder.add_text_field("title", STRING);
        Index::create_in_dir(dir.path(), builder.build()).unwrap();

        let error = SearchIndex::open(dir.path()).err().unwrap();
        assert!(
            matches!(error, SearchError::SchemaMismatch { .. }),
            "{error:?}"
        );
        assert!(error
            .to_string()
            .contains(&dir.path().display().to_string()));
    }

    #[test]
    fn second_writer_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let _first = SearchIndex::open(dir.path()).unwrap();

        let error = SearchIndex::open(dir.path()).err().unwrap();
        assert!(
            matches!(
                error,
                SearchError::Tantivy {
                    operation: "open a writer for",
                    source: TantivyError::LockFailure(..),
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(error
            .to_string()
            .contains(&dir.path().display().to_string()));
    }

    #[test]
    fn invalid_payload_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        {
            let mut writer = index.writer.lock().unwrap();
            let mut prepared = writer.prepare_commit().unwrap();
            prepared.set_payload("not a number");
            prepared.commit().unwrap();
        }

        let error = index.last_event_seq().unwrap_err();
        assert!(
            matches!(error, SearchError::InvalidPayload { .. }),
            "{error:?}"
        );
    }

    #[test]
    fn poisoned_writer_rolls_back() {
        let (_dir, index) = open_sample();
        std::thread::scope(|scope| {
            let handle = scope.spawn(|| {
                let writer = index.writer.lock().unwrap();
                let mut orphan = sample_docs()[0].clone();
                orphan.id = 99;
                writer.add_document(index.to_document(&orphan)).unwrap();
                panic!("panic while holding the search index writer");
            });
            assert!(handle.join().is_err());
        });
        assert!(index.writer.is_poisoned());

        let mut changed = sample_docs()[1].clone();
        changed.status = "准予许可".to_string();
        index.apply(&[changed], 8).unwrap();

        assert!(!index.writer.is_poisoned());
        assert_eq!(index.num_docs(), 6);
        assert_eq!(search_text(&index, "准予许可"), vec![2]);
        assert_eq!(index.last_event_seq().unwrap(), Some(8));
    }

    #[test]
    fn index_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<SearchIndex>();
    }
}
