//! Objects of an S3 bucket (the pipeline's thumbnails) as the console lists, previews and
//! deletes them, independent of the backend.

use super::Millis;

/// One object of a listing (`ListObjectsV2`' `Contents`).
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectInfo {
    pub key: String,
    pub size: u64,
    pub last_modified: Option<Millis>,
    /// Not part of a listing; filled where the backend knows it (e.g. after a `GetObject`).
    pub content_type: Option<String>,
    /// The entity tag without its surrounding quotes.
    pub etag: Option<String>,
}

/// The content of an object, for the preview.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectBody {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
}

/// A bucket of the account (`ListBuckets`).
#[derive(Debug, Clone, PartialEq)]
pub struct BucketInfo {
    pub name: String,
    pub created: Option<Millis>,
}

/// S3 returns entity tags quoted (`"9b2cf535f27731c974343645a3985328"`); show them bare.
pub fn unquote_etag(etag: &str) -> String {
    etag.trim_matches('"').to_string()
}

/// The bucket the pipeline's CloudFormation stack made for thumbnails: its generated name
/// contains `thumbnails3bucket` (case-insensitive). None when no bucket or several match.
pub fn find_thumbnail_bucket(buckets: &[BucketInfo]) -> Option<&BucketInfo> {
    let mut matching = buckets
        .iter()
        .filter(|b| b.name.to_ascii_lowercase().contains("thumbnails3bucket"));
    let first = matching.next()?;
    matching.next().is_none().then_some(first)
}

/// The pipeline's photo bucket (the thumbnails' sources): its generated name contains
/// `riderphotos3bucket`. None when no bucket or several match.
pub fn find_photo_bucket(buckets: &[BucketInfo]) -> Option<&BucketInfo> {
    let mut matching = buckets
        .iter()
        .filter(|b| b.name.to_ascii_lowercase().contains("riderphotos3bucket"));
    let first = matching.next()?;
    matching.next().is_none().then_some(first)
}

/// The pipeline's Thumbnail function stores the thumbnail of `<key>` as `resized-<key>`:
/// the source photo's key, when the thumbnail's key follows that rule.
pub fn source_key(thumbnail_key: &str) -> Option<&str> {
    thumbnail_key
        .strip_prefix("resized-")
        .filter(|rest| !rest.is_empty())
}

/// A content type from the key's extension, for listings that do not carry one (S3's
/// `ListObjectsV2` does not).
pub fn content_type_from_key(key: &str) -> Option<&'static str> {
    let extension = key.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "json" => "application/json",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(name: &str) -> BucketInfo {
        BucketInfo {
            name: name.into(),
            created: None,
        }
    }

    #[test]
    fn etags_lose_their_quotes() {
        assert_eq!(unquote_etag("\"abc\""), "abc");
        assert_eq!(unquote_etag("abc"), "abc");
    }

    #[test]
    fn thumbnail_bucket_is_found_by_the_stack_naming_only_when_unambiguous() {
        let buckets = vec![
            bucket("photos-raw"),
            bucket("wildrydes-step-module-resources-thumbnails3bucket-1x2y3z"),
        ];
        assert_eq!(
            find_thumbnail_bucket(&buckets).map(|b| b.name.as_str()),
            Some("wildrydes-step-module-resources-thumbnails3bucket-1x2y3z")
        );
        let ambiguous = vec![
            bucket("a-thumbnails3bucket-1"),
            bucket("b-ThumbnailS3Bucket-2"),
        ];
        assert_eq!(find_thumbnail_bucket(&ambiguous), None);
        assert_eq!(find_thumbnail_bucket(&[bucket("other")]), None);
    }

    #[test]
    fn thumbnails_name_their_source_photo() {
        assert_eq!(
            source_key("resized-1_happy_face.jpg"),
            Some("1_happy_face.jpg")
        );
        assert_eq!(
            source_key("resized-user_0001/selfie.jpg"),
            Some("user_0001/selfie.jpg")
        );
        assert_eq!(source_key("resized-"), None);
        assert_eq!(source_key("1_happy_face.jpg"), None);
        let buckets = vec![
            bucket("stepdeck-sandbox-riderphotos3bucket"),
            bucket("stepdeck-sandbox-thumbnails3bucket"),
        ];
        assert_eq!(
            find_photo_bucket(&buckets).map(|b| b.name.as_str()),
            Some("stepdeck-sandbox-riderphotos3bucket")
        );
        assert_eq!(content_type_from_key("a/b.JPG"), Some("image/jpeg"));
        assert_eq!(content_type_from_key("a.bin"), None);
        assert_eq!(content_type_from_key("noext"), None);
    }
}
