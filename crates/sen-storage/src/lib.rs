//! Sen's file storage over `object_store`: a local directory by default, any
//! S3-compatible store in production. Uploads are streamed in bounded chunks
//! (multipart), hashed on the way, and cut off at a size limit; downloads are
//! streamed, whole or by byte range. Nothing here holds a whole file in memory.

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{Stream, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::buffered::BufWriter;
use object_store::local::LocalFileSystem;
use object_store::path::Path as StorePath;
use object_store::prefix::PrefixStore;
use object_store::{GetOptions, GetRange, ObjectStore};
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

/// Part size of multipart uploads (S3's minimum): with [`PARTS_IN_FLIGHT`],
/// this bounds what one upload holds in memory.
const PART_SIZE: usize = 5 * 1024 * 1024;
/// Parts sent concurrently; more would only buy memory on a local disk.
const PARTS_IN_FLIGHT: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("no such file in storage")]
    NotFound,
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error("storage: {0}")]
    Backend(String),
}

impl From<object_store::Error> for StorageError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { .. } => Self::NotFound,
            e => Self::Backend(e.to_string()),
        }
    }
}

/// What was stored: where, how big, and its SHA-256.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub key: String,
    pub size: u64,
    pub sha256: String,
}

/// A download: the byte range served and a stream of it.
pub struct Download {
    pub total_size: u64,
    pub range: Range<u64>,
    pub last_modified: chrono::DateTime<chrono::Utc>,
    pub body: BoxStream<'static, Result<Bytes, StorageError>>,
}

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    description: String,
}

impl Storage {
    /// Opens the store a URL names: `file:///abs/dir` (or a bare path) for a local
    /// directory, `s3://bucket/prefix` for S3. S3 settings come from the usual
    /// `AWS_*` environment variables (`AWS_ENDPOINT` for S3-compatible stores,
    /// `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint).
    pub fn open(url: &str) -> Result<Self, StorageError> {
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let store = AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .build()
                .map_err(|e| StorageError::Backend(e.to_string()))?;
            let prefix = prefix.trim_matches('/');
            let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
                Arc::new(store)
            } else {
                Arc::new(PrefixStore::new(store, prefix))
            };
            return Ok(Self {
                store,
                description: url.to_string(),
            });
        }
        let dir = url.strip_prefix("file://").unwrap_or(url);
        Self::local(Path::new(dir))
    }

    pub fn local(dir: &Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StorageError::Backend(format!("{}: {e}", dir.display())))?;
        let store = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| StorageError::Backend(e.to_string()))?
            .with_automatic_cleanup(true);
        Ok(Self {
            store: Arc::new(store),
            description: format!("file://{}", dir.display()),
        })
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    /// Streams `body` into `key`, at most `limit` bytes. On any failure, including
    /// the limit, nothing is left behind under `key`.
    pub async fn put_stream<S, E>(
        &self,
        key: &str,
        body: S,
        limit: u64,
    ) -> Result<StoredFile, StorageError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: std::fmt::Display,
    {
        let path = StorePath::from(key);
        let mut writer = BufWriter::with_capacity(self.store.clone(), path, PART_SIZE)
            .with_max_concurrency(PARTS_IN_FLIGHT);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut body = std::pin::pin!(body);
        let outcome: Result<(), StorageError> = async {
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| StorageError::Interrupted(e.to_string()))?;
                size += chunk.len() as u64;
                if size > limit {
                    return Err(StorageError::TooLarge { limit });
                }
                hasher.update(&chunk);
                writer
                    .write_all(&chunk)
                    .await
                    .map_err(|e| StorageError::Backend(e.to_string()))?;
            }
            Ok(())
        }
        .await;
        match outcome {
            Ok(()) => {
                writer
                    .shutdown()
                    .await
                    .map_err(|e| StorageError::Backend(e.to_string()))?;
                Ok(StoredFile {
                    key: key.to_string(),
                    size,
                    sha256: hex::encode(hasher.finalize()),
                })
            }
            Err(e) => {
                if let Err(abort) = writer.abort().await {
                    tracing::warn!(%abort, key, "could not abort a failed upload");
                }
                Err(e)
            }
        }
    }

    /// Stores a small in-memory file (demo data, tests).
    pub async fn put_bytes(&self, key: &str, data: Bytes) -> Result<StoredFile, StorageError> {
        let len = data.len() as u64;
        self.put_stream(
            key,
            futures::stream::iter([Ok::<_, std::io::Error>(data)]),
            len,
        )
        .await
    }

    /// Opens `key` for reading, whole or the given byte range (already validated
    /// against the size by the caller through [`Storage::size`]).
    pub async fn get(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<Download, StorageError> {
        let path = StorePath::from(key);
        let options = GetOptions {
            range: range.clone().map(GetRange::Bounded),
            ..Default::default()
        };
        let result = self.store.get_opts(&path, options).await?;
        let total_size = result.meta.size;
        let last_modified = result.meta.last_modified;
        let served = result.range.clone();
        let body = result.into_stream().map_err(StorageError::from).boxed();
        Ok(Download {
            total_size,
            range: served,
            last_modified,
            body,
        })
    }

    /// Up to `n` first bytes of a stored file (for sniffing its type).
    pub async fn read_head(&self, key: &str, n: u64) -> Result<Vec<u8>, StorageError> {
        let size = self.size(key).await?;
        if size == 0 {
            return Ok(Vec::new());
        }
        let download = self.get(key, Some(0..n.min(size))).await?;
        let chunks: Vec<Bytes> = download.body.try_collect().await?;
        Ok(chunks.concat())
    }

    pub async fn size(&self, key: &str) -> Result<u64, StorageError> {
        Ok(self.store.head(&StorePath::from(key)).await?.size)
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&StorePath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Copies a stored file to a local file, streaming (background work reads
    /// files this way: parsers want `std::io::Read`).
    pub async fn copy_to_file(&self, key: &str, dest: &Path) -> Result<u64, StorageError> {
        use tokio::io::AsyncWriteExt;
        let download = self.get(key, None).await?;
        let mut file = tokio::fs::File::create(dest)
            .await
            .map_err(|e| StorageError::Backend(format!("{}: {e}", dest.display())))?;
        let mut body = download.body;
        let mut written = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            written += chunk.len() as u64;
            file.write_all(&chunk)
                .await
                .map_err(|e| StorageError::Backend(format!("{}: {e}", dest.display())))?;
        }
        file.flush()
            .await
            .map_err(|e| StorageError::Backend(format!("{}: {e}", dest.display())))?;
        Ok(written)
    }

    /// Stores a local file under `key`, streaming it in parts.
    pub async fn put_file(&self, key: &str, src: &Path) -> Result<StoredFile, StorageError> {
        let file = tokio::fs::File::open(src)
            .await
            .map_err(|e| StorageError::Backend(format!("{}: {e}", src.display())))?;
        let stream = tokio_util::io::ReaderStream::with_capacity(file, 256 * 1024);
        self.put_stream(key, stream, u64::MAX).await
    }

    /// The object store itself, for engines that read it directly (DataFusion
    /// reads Parquet tables through it, by ranges).
    pub fn object_store(&self) -> Arc<dyn ObjectStore> {
        self.store.clone()
    }

    /// Whether the store answers (for the health check).
    pub async fn ping(&self) -> bool {
        let mut list = self.store.list(None);
        !matches!(list.next().await, Some(Err(_)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(n: usize, size: usize) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
        futures::stream::iter((0..n).map(move |i| Ok(Bytes::from(vec![(i % 251) as u8; size]))))
    }

    #[tokio::test]
    async fn stream_round_trip_with_hash_and_range() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::local(dir.path()).unwrap();
        let stored = s
            .put_stream("a/b/file", chunks(3, 1000), 10_000)
            .await
            .unwrap();
        assert_eq!(stored.size, 3000);
        let mut expected = Vec::new();
        for i in 0..3 {
            expected.extend(std::iter::repeat_n((i % 251) as u8, 1000));
        }
        assert_eq!(stored.sha256, hex::encode(Sha256::digest(&expected)));
        let d = s.get("a/b/file", Some(990..1010)).await.unwrap();
        assert_eq!(d.total_size, 3000);
        let body: Vec<Bytes> = d.body.try_collect().await.unwrap();
        assert_eq!(body.concat(), expected[990..1010].to_vec());
    }

    #[tokio::test]
    async fn over_the_limit_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::local(dir.path()).unwrap();
        let err = s
            .put_stream("big", chunks(5, 1000), 4500)
            .await
            .unwrap_err();
        assert!(matches!(err, StorageError::TooLarge { limit: 4500 }));
        assert!(matches!(s.size("big").await, Err(StorageError::NotFound)));
    }
}
