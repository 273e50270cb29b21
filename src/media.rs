//! Images: uploads are checked by their content (never their name), decoded with limits
//! against decompression bombs, turned upright, and re-encoded as JPEG at a few widths. Nothing
//! of the uploaded file survives but its pixels: EXIF, GPS and any other metadata are gone.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::privacy::hex;
use crate::store::{Db, Tx, query};

/// Largest upload accepted, in bytes.
pub const MAX_BYTES: usize = 12 * 1024 * 1024;
/// Largest image accepted, in pixels (width × height).
pub const MAX_PIXELS: u64 = 40_000_000;
/// The widths made for `srcset`; none larger than the upload.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
const JPEG_QUALITY: u8 = 82;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("The file is larger than {} MB.", MAX_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("The file is not a JPEG, PNG, WebP or GIF image.")]
    NotAnImage,
    #[error("The image is too large to process ({0}).")]
    TooManyPixels(String),
    #[error("The image could not be read: {0}")]
    Broken(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// A re-encoded variant.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub jpeg: Vec<u8>,
}

/// Decodes an upload and makes its variants.
pub fn process(bytes: &[u8]) -> Result<(u32, u32, Vec<Variant>), MediaError> {
    if bytes.len() > MAX_BYTES {
        return Err(MediaError::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| MediaError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif
    ) {
        return Err(MediaError::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| MediaError::Broken(e.to_string()))?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(MediaError::TooManyPixels(format!("{w}×{h}")));
    }
    let orientation = decoder.orientation().ok();
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| MediaError::Broken(e.to_string()))?;
    if let Some(o) = orientation {
        image.apply_orientation(o);
    }
    // JPEG has no alpha: flatten onto white rather than black.
    let rgb = flatten(&image);
    let (width, height) = (rgb.width(), rgb.height());
    let mut variants = Vec::new();
    for target in WIDTHS.iter().copied().filter(|t| *t < width) {
        let h = ((u64::from(height) * u64::from(target)) / u64::from(width)).max(1) as u32;
        let resized =
            image::imageops::resize(&rgb, target, h, image::imageops::FilterType::Lanczos3);
        variants.push(encode(&DynamicImage::ImageRgb8(resized))?);
    }
    // The full width too, capped at the largest listed.
    let cap = *WIDTHS.last().unwrap_or(&1600);
    if width <= cap {
        variants.push(encode(&DynamicImage::ImageRgb8(rgb))?);
    } else if variants.is_empty() {
        let h = ((u64::from(height) * u64::from(cap)) / u64::from(width)).max(1) as u32;
        let resized = image::imageops::resize(&rgb, cap, h, image::imageops::FilterType::Lanczos3);
        variants.push(encode(&DynamicImage::ImageRgb8(resized))?);
    }
    let (w, h) = variants
        .last()
        .map(|v| (v.width, v.height))
        .unwrap_or((width, height));
    Ok((w, h, variants))
}

fn flatten(image: &DynamicImage) -> image::RgbImage {
    let rgba = image.to_rgba8();
    let mut out = image::RgbImage::new(rgba.width(), rgba.height());
    for (x, y, p) in rgba.enumerate_pixels() {
        let a = u16::from(p[3]);
        let blend = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
        out.put_pixel(x, y, image::Rgb([blend(p[0]), blend(p[1]), blend(p[2])]));
    }
    out
}

fn encode(image: &DynamicImage) -> Result<Variant, MediaError> {
    let mut jpeg = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY);
    image
        .write_with_encoder(encoder)
        .map_err(|e| MediaError::Broken(e.to_string()))?;
    Ok(Variant {
        width: image.width(),
        height: image.height(),
        jpeg,
    })
}

/// Processes and stores an upload; returns the media id.
pub async fn store(
    tx: &mut Tx,
    bytes: &[u8],
    public: bool,
    uploaded_by: Option<i64>,
    now: i64,
) -> Result<i64, MediaError> {
    let owned = bytes.to_vec();
    // Decoding and resizing are CPU work: keep them off the async workers.
    let (width, height, variants) = tokio::task::spawn_blocking(move || process(&owned))
        .await
        .map_err(|e| MediaError::Broken(e.to_string()))??;
    let id = query(
        "insert into media (source_hash, width, height, public, uploaded_by, created_at)
         values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(hex(&Sha256::digest(bytes)))
    .bind(i64::from(width))
    .bind(i64::from(height))
    .bind(public)
    .bind(uploaded_by)
    .bind(now)
    .fetch_i64(&mut *tx)
    .await?;
    for v in variants {
        query(
            "insert into media_variants (media_id, width, height, content_type, bytes)
             values ($1, $2, $3, 'image/jpeg', $4)",
        )
        .bind(id)
        .bind(i64::from(v.width))
        .bind(i64::from(v.height))
        .bind(v.jpeg)
        .execute(&mut *tx)
        .await?;
    }
    Ok(id)
}

/// A variant's bytes, if the media exists and (for public requests) is public.
pub async fn variant(
    db: &Db,
    id: i64,
    width: i64,
    public_only: bool,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let row: Option<(Vec<u8>,)> = query(
        "select v.bytes from media_variants v join media m on m.id = v.media_id
         where v.media_id = $1 and v.width = $2 and (m.public or not $3)",
    )
    .bind(id)
    .bind(width)
    .bind(public_only)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(b,)| b))
}

/// The widths stored for an image, for `srcset`.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Size {
    pub width: i64,
    pub height: i64,
}

pub async fn sizes(db: &Db, id: i64) -> Result<Vec<Size>, sqlx::Error> {
    query("select width, height from media_variants where media_id = $1 order by width")
        .bind(id)
        .fetch_all(db)
        .await
}

/// Makes an image public (when it becomes an article's lead image).
pub async fn publish(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    query("update media set public = true where id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| {
            image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, 255])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn makes_smaller_widths_and_never_upscales() {
        let (w, h, variants) = process(&png(1000, 500)).unwrap();
        let widths: Vec<u32> = variants.iter().map(|v| v.width).collect();
        assert_eq!(widths, [480, 960, 1000]);
        assert_eq!((w, h), (1000, 500));
        assert_eq!(variants[0].height, 240);
        for v in &variants {
            assert!(v.jpeg.starts_with(&[0xFF, 0xD8]), "JPEG output");
        }
        let (_, _, small) = process(&png(300, 200)).unwrap();
        assert_eq!(small.iter().map(|v| v.width).collect::<Vec<_>>(), [300]);
    }

    #[test]
    fn large_images_are_capped() {
        let (w, _, variants) = process(&png(2400, 100)).unwrap();
        assert_eq!(w, 1600);
        assert_eq!(variants.last().unwrap().width, 1600);
    }

    #[test]
    fn content_decides_not_the_name() {
        assert!(matches!(
            process(b"GIF89a but not really"),
            Err(MediaError::Broken(_) | MediaError::NotAnImage)
        ));
        assert!(matches!(
            process(b"<html>not an image</html>"),
            Err(MediaError::NotAnImage)
        ));
        assert!(matches!(
            process(&vec![0u8; MAX_BYTES + 1]),
            Err(MediaError::TooLarge)
        ));
    }

    #[test]
    fn exif_is_dropped() {
        // A JPEG with an APP1/EXIF segment carrying a marker string.
        let mut jpeg = Vec::new();
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            64,
            64,
            image::Rgb([10, 20, 30]),
        ));
        img.write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        let mut payload = b"Exif\0\0GPS-SECRET-LOCATION".to_vec();
        let len = (payload.len() + 2) as u16;
        let mut app1 = vec![0xFF, 0xE1];
        app1.extend_from_slice(&len.to_be_bytes());
        app1.append(&mut payload);
        let mut with_exif = jpeg[..2].to_vec();
        with_exif.extend_from_slice(&app1);
        with_exif.extend_from_slice(&jpeg[2..]);
        let (_, _, variants) = process(&with_exif).unwrap();
        let out = &variants[0].jpeg;
        assert!(
            !out.windows(10).any(|w| w == b"GPS-SECRET"),
            "metadata removed"
        );
    }
}
