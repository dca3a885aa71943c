//! Full-text search over licence applications, backed by tantivy.
//!
//! The index is derived from the redb store and can be rebuilt from it at any time. Each commit
//! stores the sequence number of the last store event it contains as the commit payload
//! ([`SearchIndex::last_event_seq`]), so that at start-up the caller replays only the events
//! after it, and a rebuild starts with [`SearchIndex::clear`].
//!
//! Chinese text has no spaces between words, so the free-text fields (application number,
//! applicant name, credit code, sub-items, status) are indexed as overlapping character unigrams
//! and bigrams with positions ([`CjkNgramTokenizer`]). A query term runs as a phrase query over
//! its bigrams, which finds every substring of letters and digits exactly with no dictionary:
//! `压力` and `器制造` both match `某某压力容器制造有限公司`. Whitespace in the query separates
//! terms, and a document must match all of them.

mod follow;
mod index;
mod tokenizer;

pub use follow::{FollowError, Follower};
pub use index::{ApplicationDoc, SearchError, SearchIndex, SearchQuery};
pub use tokenizer::{CjkNgramTokenStream, CjkNgramTokenizer, NGRAM_TOKENIZER_NAME};
